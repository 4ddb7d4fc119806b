"""What a checker raises when a file is not what the policy accepts."""


class Refused(Exception):
    """A file is refused; the message is a whole sentence that names the file."""
