from django.contrib.auth import views as auth_views
from django.urls import path

from gridgov.accounts import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/", two_factor_views.verify, name="two-factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two-factor-setup"),
]
