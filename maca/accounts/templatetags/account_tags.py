from django import template

register = template.Library()


@register.filter
def is_administrator(user: object) -> bool:
    """Whether to offer the administrator's pages; the pages check too."""
    from maca.accounts.models import Role, User
    from maca.accounts.selectors import roles_of

    return isinstance(user, User) and roles_of(user).has(Role.ADMINISTRATOR)
