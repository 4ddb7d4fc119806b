from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password needs a letter, a digit and a character that is neither."""

    def validate(self, password, user=None):
        if not (
            any(c.isalpha() for c in password)
            and any(c.isdigit() for c in password)
            and any(not c.isalnum() for c in password)
        ):
            raise ValidationError(
                _("The password must contain letters, digits and at least one special character."),
                code="password_classes",
            )

    def get_help_text(self):
        return _("Your password must contain letters, digits and at least one special character.")
