"""The public page's path built once per process (feedback.links) is what reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from thongsuot.feedback.links import follow_path


@pytest.mark.parametrize("code", ["PA-2611-000001", "PA-2701-123456", "PA-2612-1234567"])
def test_follow_path_is_the_reverse_of_the_pattern(code):
    assert follow_path(code) == reverse("feedback:follow", args=[code]) == f"/phan-anh/{code}/"


def test_follow_path_keeps_the_script_prefix_of_the_request():
    set_script_prefix("/cong-dan/")
    try:
        assert follow_path("PA-2611-000001") == "/cong-dan/phan-anh/PA-2611-000001/"
        assert follow_path("PA-2611-000001") == reverse("feedback:follow", args=["PA-2611-000001"])
    finally:
        set_script_prefix("/")
    assert follow_path("PA-2611-000001") == "/phan-anh/PA-2611-000001/"
