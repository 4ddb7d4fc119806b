"""The document types of Nghị định 30/2020 (Phụ lục III) with their abbreviations, the urgency and
confidentiality levels (Điều 8, 9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    # value = the abbreviation in the notation; a công văn has none in a government notation ("CV" for Party)
    NGHI_QUYET = "NQ", "Nghị quyết"
    QUYET_DINH = "QĐ", "Quyết định"
    CHI_THI = "CT", "Chỉ thị"
    QUY_CHE = "QC", "Quy chế"
    QUY_DINH = "QyĐ", "Quy định"
    THONG_CAO = "TC", "Thông cáo"
    THONG_BAO = "TB", "Thông báo"
    HUONG_DAN = "HD", "Hướng dẫn"
    CHUONG_TRINH = "CTr", "Chương trình"
    KE_HOACH = "KH", "Kế hoạch"
    PHUONG_AN = "PA", "Phương án"
    DE_AN = "ĐA", "Đề án"
    DU_AN = "DA", "Dự án"
    BAO_CAO = "BC", "Báo cáo"
    BIEN_BAN = "BB", "Biên bản"
    TO_TRINH = "TTr", "Tờ trình"
    HOP_DONG = "HĐ", "Hợp đồng"
    CONG_DIEN = "CĐ", "Công điện"
    BAN_GHI_NHO = "BGN", "Bản ghi nhớ"
    BAN_THOA_THUAN = "BTT", "Bản thỏa thuận"
    GIAY_UY_QUYEN = "GUQ", "Giấy ủy quyền"
    GIAY_MOI = "GM", "Giấy mời"
    GIAY_GIOI_THIEU = "GGT", "Giấy giới thiệu"
    GIAY_NGHI_PHEP = "GNP", "Giấy nghỉ phép"
    PHIEU_GUI = "PG", "Phiếu gửi"
    PHIEU_CHUYEN = "PC", "Phiếu chuyển"
    PHIEU_BAO = "PB", "Phiếu báo"
    SAO_Y = "SY", "Sao y"
    TRICH_SAO = "TrS", "Trích sao"
    SAO_LUC = "SL", "Sao lục"
    CONG_VAN = "CV", "Công văn"


class Urgency(models.TextChoices):
    NORMAL = "", _("Normal")
    URGENT = "khan", "Khẩn"
    VERY_URGENT = "thuong_khan", "Thượng khẩn"
    FLASH = "hoa_toc", "Hỏa tốc"


class Confidentiality(models.TextChoices):
    NONE = "", _("Not secret")
    SECRET = "mat", "Mật"
    TOP_SECRET = "toi_mat", "Tối mật"
    ABSOLUTE = "tuyet_mat", "Tuyệt mật"


class SignatureCheck(models.TextChoices):
    VALID = "valid", _("Valid signatures")
    TAMPERED = "tampered", _("Changed after signing")
    UNTRUSTED = "untrusted", _("Signed with an untrusted certificate")
    UNSIGNED = "unsigned", _("Not signed")
