from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path(
        "log-ind/",
        auth_views.LoginView.as_view(
            template_name="organisation/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
]
