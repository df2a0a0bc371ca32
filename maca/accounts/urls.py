"""Sign-in, sign-out and the "Your account" pages (django-allauth, with maca's templates).

Only the parts of allauth that maca uses are mounted; there is no public sign-up. The sign-in
and sign-out views answer to allauth's own names as well, as allauth reverses those.
"""

from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from django.urls import path

from maca.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", account_views.login, name="sign-in"),
    path("sign-in/", account_views.login, name="account_login"),
    path("sign-out/", account_views.logout, name="sign-out"),
    path("sign-out/", account_views.logout, name="account_logout"),
    path("account/keep-alive/", views.keep_alive, name="keep-alive"),
    path("account/inactive/", account_views.account_inactive, name="account_inactive"),
    path("account/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path("account/password/", account_views.password_change, name="account_change_password"),
    path("account/sessions/", views.sessions, name="usersessions_list"),
    path("account/notifications/", views.email_frequency, name="email-frequency"),
    path("account/sessions/<int:session_id>/end/", views.session_end_view, name="session-end"),
    path("account/two-factor/", mfa_views.index, name="mfa_index"),
    path("account/two-factor/code/", mfa_views.authenticate, name="mfa_authenticate"),
    path("account/two-factor/confirm/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("account/two-factor/set-up/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("account/two-factor/remove/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    path(
        "account/two-factor/recovery-codes/",
        recovery_code_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "account/two-factor/recovery-codes/new/",
        recovery_code_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "account/two-factor/recovery-codes/download/",
        recovery_code_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
]
