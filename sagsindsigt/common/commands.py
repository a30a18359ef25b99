"""A management command that answers in Danish only: its errors without Django's English prefix."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class DanishCommand(BaseCommand):
    """Django prints a CommandError from the shell as "CommandError: <message>"; a user of the command
    line should read only the Danish message. call_command (tests, other code) still gets the error."""

    _from_shell = False

    def run_from_argv(self, argv: list[str]) -> None:
        self._from_shell = True
        super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not self._from_shell or options.get("traceback"):
                raise
            self.stderr.write(str(error))
            sys.exit(error.returncode)
