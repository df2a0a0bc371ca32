import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django import template
from django.conf import settings

from maca.demo.data import DEMO_TOTP_SECRET

register = template.Library()


@register.simple_tag
def demo_totp_code() -> str:
    """The code the shared demo authenticator shows now, only when the site runs as the demo."""
    if not settings.DEMO_MODE:
        return ""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
