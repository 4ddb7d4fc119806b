"""Vietnamese text helpers of thongsuot.core.text."""

from thongsuot.core.text import sorted_vietnamese, vietnamese_sort_key


def test_vietnamese_alphabetical_order():
    names = ["Xóm Chiếu", "Phường Đông Hòa", "Phường Gò Vấp", "Phường Ân", "Phường An Khánh", "Phường Dĩ An"]
    assert sorted_vietnamese(names, key=str) == [
        "Phường An Khánh",
        "Phường Ân",
        "Phường Dĩ An",
        "Phường Đông Hòa",
        "Phường Gò Vấp",
        "Xóm Chiếu",
    ]


def test_letters_before_tones_and_tones_in_dictionary_order():
    # ơ after ô after o; the tone only decides between otherwise equal words
    assert sorted(["Ơn", "Ôn", "On"], key=vietnamese_sort_key) == ["On", "Ôn", "Ơn"]
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=vietnamese_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(["Phường 2", "Phường Bảy", "Phường 10"], key=vietnamese_sort_key)[-1] == "Phường Bảy"
    # the same text composed or decomposed sorts the same
    assert vietnamese_sort_key("Hòa")[:2] == vietnamese_sort_key("Ho\u0300a")[:2]
