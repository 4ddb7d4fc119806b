"""Realistic demo data for the 1022 feedback system, inserted in bulk (no per-row services).

generate_reports() writes a period of citizen reports spread over the 168 commune-level units (busy
urban wards get more), with the category mix of the city's published figures (administrative
procedures the largest, flooding peaking in the rainy season May–November), mixed channels (hotline
most), weekday peaks, forwarding within minutes, due dates from the shared working-day calendar, and
statuses consistent with the timestamps as of the end of the period: older reports resolved (85–92 %
on time, varying by unit), published, rated or closed; some refused with a reason; recent ones still
being handled, some overdue.

Generated reports are recognisable by their tracking code: `DM-YYMM-NNNNNN` (real submissions get
`PA-…`), numbered from a CodeSequence row per month so repeated runs never collide either.
Deterministic for a given seed, period and `as_of` (which defaults to the end of the period).
"""

import base64
import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length

from thongsuot.core.calendar import _exceptions as calendar_exceptions
from thongsuot.core.calendar import _is_working as calendar_is_working
from thongsuot.core.calendar import add_working_days
from thongsuot.core.text import fold, normalise_space
from thongsuot.directory.models import Organisation
from thongsuot.feedback.models import Category, Channel, CodeSequence, Report, ReportEvent
from thongsuot.feedback.states import RejectReason, Status

CODE_PREFIX = "DM"
EVENTS_DEFAULT_LIMIT = 5000
CITY = "Thành phố Hồ Chí Minh"
TZ = ZoneInfo(settings.TIME_ZONE)
DISPATCHER = "Tổng đài viên 1022"
CENTRE = (10.7769, 106.7009)  # Nhà hát Thành phố

# Share of reports per category (per mille) and a factor per month (Jan..Dec).
_FLAT = (1,) * 12
CATEGORY_MIX = {
    "thu-tuc-hanh-chinh": (200, (1.2, 1.0, 1.1, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.0, 1.0, 1.1)),
    "trat-tu-do-thi": (130, (1.2, 1.3, 1.0, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 1.2)),
    "ha-tang-ky-thuat": (110, (0.9, 0.8, 0.9, 0.9, 1.1, 1.2, 1.2, 1.2, 1.3, 1.3, 1.1, 0.9)),
    "ve-sinh-moi-truong": (95, (1.3, 1.4, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.2)),
    "giao-thong": (80, (1.2, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1, 1.0, 1.2)),
    "cap-nuoc-ngap-nuoc": (65, (0.6, 0.6, 0.7, 0.8, 1.3, 1.7, 1.8, 2.0, 2.4, 2.6, 1.9, 1.0)),
    "chieu-sang-dien": (50, (0.9, 0.9, 1.1, 1.4, 1.4, 1.1, 1.0, 1.0, 1.0, 1.0, 0.9, 1.0)),
    "cay-xanh": (40, (0.7, 0.7, 0.8, 0.9, 1.4, 1.5, 1.5, 1.5, 1.6, 1.6, 1.3, 0.8)),
    "tai-nguyen-moi-truong": (35, _FLAT),
    "y-te": (30, (1.0, 1.0, 0.9, 0.9, 1.0, 1.2, 1.3, 1.4, 1.4, 1.3, 1.1, 1.0)),
    "vien-thong": (25, _FLAT),
    "giao-thong-cong-cong": (25, (1.1, 1.3, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.1)),
    "kien-nghi-lanh-dao": (25, _FLAT),
    "du-lich": (12, (1.5, 1.8, 1.1, 1.2, 1.3, 1.5, 1.5, 1.2, 0.9, 0.9, 1.0, 1.3)),
    "khac": (60, _FLAT),
}
CHANNEL_MIX = [
    (Channel.HOTLINE, 46),
    (Channel.WEB, 21),
    (Channel.APP, 16),
    (Channel.ZALO, 6),
    (Channel.OPEN311, 5),
    (Channel.API, 4),
    (Channel.EMAIL, 2),
]
# Share of reports with map coordinates, by channel.
WITH_POINT = {"hotline": 0.35, "web": 0.7, "app": 0.97, "zalo": 0.5, "open311": 1.0, "api": 0.9, "email": 0.1}
WEEKDAY = (1.18, 1.12, 1.07, 1.05, 1.0, 0.68, 0.55)  # Monday .. Sunday
DAY_OFF = 0.6  # a public holiday on a weekday
# Hour of the day (0..23): phone calls follow office hours, web and app run into the evening.
HOURS_OFFICE = (1, 1, 0, 0, 0, 1, 3, 8, 12, 13, 12, 9, 5, 8, 11, 11, 9, 6, 4, 3, 3, 2, 2, 1)
HOURS_ONLINE = (2, 1, 1, 0, 0, 1, 3, 6, 8, 9, 9, 8, 7, 8, 8, 8, 7, 7, 8, 9, 9, 7, 5, 3)
REJECTED_SHARE = 0.065
REJECT_REASONS = [
    (RejectReason.DUPLICATE, 38),
    (RejectReason.INSUFFICIENT, 30),
    (RejectReason.OUT_OF_SCOPE, 22),
    (RejectReason.SPAM, 10),
]
REJECT_NOTES = {
    RejectReason.DUPLICATE: ["Trùng nội dung với phản ánh đã tiếp nhận trước đó.", "Đã có phản ánh cùng vị trí."],
    RejectReason.INSUFFICIENT: ["Không đủ thông tin về địa điểm để xác minh.", "Nội dung chưa rõ, gọi lại không được."],
    RejectReason.OUT_OF_SCOPE: ["Tranh chấp dân sự, hướng dẫn người dân khởi kiện.", "Không thuộc phạm vi 1022."],
    RejectReason.SPAM: ["Nội dung không phù hợp.", "Cuộc gọi quấy rối."],
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
FAMILY_WEIGHTS = [38, 11, 9, 7, 4, 5, 4, 3, 4, 2, 2, 2, 2, 2]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Đức", "Thu", "Quốc", "Hữu", "Kim", "Bảo", "Thành", "Mỹ"]
GIVEN = (
    "An Anh Bình Châu Chi Cường Dũng Duy Giang Hà Hải Hạnh Hiếu Hoa Hùng Huy Khang Khánh Lan Linh Long Mai "
    "Minh Nam Nga Ngân Nhung Phúc Phương Quân Quang Sơn Tâm Thảo Thắng Thịnh Trang Trí Trinh Tuấn Tùng Uyên "
    "Vân Việt Vy Yến"
).split()
PHONE_PREFIXES = (
    "090 093 089 070 076 077 078 079 091 094 088 081 082 083 084 085 086 096 097 098 032 033 034 035 036 "
    "037 038 039 056 058"
).split()

STREETS = {
    "core": "Lê Lợi|Nguyễn Huệ|Hai Bà Trưng|Nam Kỳ Khởi Nghĩa|Điện Biên Phủ|Võ Thị Sáu|Cách Mạng Tháng Tám|"
    "Nguyễn Thị Minh Khai|Trần Hưng Đạo|Nguyễn Trãi|Lê Văn Sỹ|Nguyễn Đình Chiểu|Ba Tháng Hai|Lý Thường Kiệt|"
    "Hùng Vương|An Dương Vương|Nguyễn Văn Cừ|Phan Đăng Lưu|Hoàng Văn Thụ|Cộng Hòa|Trường Chinh|Lạc Long Quân|"
    "Âu Cơ|Xô Viết Nghệ Tĩnh|Phan Văn Trị|Quang Trung|Nguyễn Oanh|Nguyễn Kiệm|Tôn Đản|Huỳnh Tấn Phát|"
    "Nguyễn Thị Thập|Nguyễn Văn Linh|Kinh Dương Vương|Hậu Giang|Hồng Bàng|Lũy Bán Bích|Tân Kỳ Tân Quý|"
    "Lê Trọng Tấn|Tân Hương|Phạm Văn Chiêu|Thống Nhất|Lê Đức Thọ|Tô Ký|Hà Huy Giáp|Nguyễn Ảnh Thủ",
    "east": "Võ Văn Ngân|Kha Vạn Cân|Xa lộ Hà Nội|Lê Văn Việt|Đỗ Xuân Hợp|Nguyễn Duy Trinh|Mai Chí Thọ|"
    "Lương Định Của|Trần Não|Nguyễn Thị Định|Đặng Văn Bi|Tô Ngọc Vân|Phạm Văn Đồng|Nguyễn Xiển|Lã Xuân Oai|"
    "Man Thiện|Hoàng Diệu 2|Quốc lộ 13|Linh Trung|Đình Phong Phú|Tam Bình",
    "outer": "Quốc lộ 22|Tỉnh lộ 8|Tỉnh lộ 15|Nguyễn Văn Bứa|Phan Văn Hớn|Quốc lộ 1A|Vĩnh Lộc|Trần Văn Giàu|"
    "Nguyễn Hữu Trí|Đinh Đức Thiện|Lê Văn Lương|Nguyễn Bình|Rừng Sác|Duyên Hải|Đặng Công Bỉnh|Bà Điểm|"
    "Hương lộ 2|Lê Minh Xuân|Bùi Công Trừng|Nguyễn Văn Khạ|Tỉnh lộ 7|Đào Sư Tích",
    "binh_duong": "Đại lộ Bình Dương|Yersin|Cách Mạng Tháng Tám|Phú Lợi|Huỳnh Văn Lũy|Nguyễn Văn Tiết|"
    "Thích Quảng Đức|Lê Hồng Phong|Mỹ Phước - Tân Vạn|ĐT743|ĐT741|ĐT746|Nguyễn An Ninh|Trần Hưng Đạo|Nguyễn Du|"
    "Hùng Vương|Quốc lộ 13|Quốc lộ 1K|Ngô Quyền|Bùi Quốc Khánh|Nguyễn Thị Minh Khai|Lê Thị Trung",
    "ba_ria_vung_tau": "Thùy Vân|Hạ Long|Lê Hồng Phong|Ba Cu|Trương Công Định|Nguyễn An Ninh|30 Tháng 4|"
    "Võ Thị Sáu|Hùng Vương|Quốc lộ 51|Quốc lộ 55|Cách Mạng Tháng Tám|Nguyễn Thanh Đằng|Lê Lợi|Bình Giã|"
    "Phước Thắng|Trần Phú|Hoàng Hoa Thám|Nguyễn Hữu Cảnh|Độc Lập|Trần Hưng Đạo",
    "con_dao": "Tôn Đức Thắng|Nguyễn Huệ|Lê Duẩn|Phạm Văn Đồng|Nguyễn Đức Thuận|Hồ Thanh Tòng|Võ Thị Sáu|Trần Phú",
}
WARD_STREETS = {
    "Phường Sài Gòn": "Đồng Khởi|Nguyễn Huệ|Lê Duẩn|Tôn Đức Thắng|Hai Bà Trưng|Lê Thánh Tôn|Mạc Thị Bưởi|Nguyễn Du",
    "Phường Bến Thành": "Lê Lợi|Lê Thánh Tôn|Phạm Ngũ Lão|Bùi Viện|Đề Thám|Nguyễn Thái Học|Lê Lai|Lý Tự Trọng",
    "Phường Tân Định": "Hai Bà Trưng|Trần Quang Khải|Đinh Tiên Hoàng|Trần Khắc Chân|Nguyễn Hữu Cầu|Mai Thị Lựu",
    "Phường Cầu Ông Lãnh": "Nguyễn Thái Học|Trần Hưng Đạo|Yersin|Cô Giang|Cô Bắc|Nguyễn Khắc Nhu|Hồ Hảo Hớn",
    "Phường Bàn Cờ": "Nguyễn Đình Chiểu|Cách Mạng Tháng Tám|Võ Văn Tần|Nguyễn Thiện Thuật|Cao Thắng|Điện Biên Phủ",
    "Phường Xuân Hòa": "Võ Thị Sáu|Nam Kỳ Khởi Nghĩa|Trần Quốc Thảo|Pasteur|Nguyễn Thị Minh Khai|Bà Huyện Thanh Quan",
    "Phường Nhiêu Lộc": "Trần Văn Đang|Lê Văn Sỹ|Trường Sa|Hoàng Sa|Kỳ Đồng|Trần Quang Diệu",
    "Phường Chợ Lớn": "Hải Thượng Lãn Ông|Trần Hưng Đạo|Châu Văn Liêm|Lương Nhữ Học|Triệu Quang Phục|Nguyễn Trãi",
    "Phường Chợ Quán": "Trần Bình Trọng|Nguyễn Văn Cừ|Trần Hưng Đạo|Nguyễn Biểu|Hùng Vương",
    "Phường An Đông": "An Dương Vương|Trần Phú|Hùng Vương|Nguyễn Duy Dương|Ngô Quyền",
    "Phường Bình Tây": "Hậu Giang|Tháp Mười|Phạm Đình Hổ|Tân Hóa|Minh Phụng",
    "Phường Gia Định": "Phan Đăng Lưu|Đinh Tiên Hoàng|Bùi Hữu Nghĩa|Phan Văn Trị|Lê Quang Định",
    "Phường Bình Thạnh": "Xô Viết Nghệ Tĩnh|Điện Biên Phủ|Nguyễn Xí|Đinh Bộ Lĩnh|Bạch Đằng",
    "Phường Thạnh Mỹ Tây": "Nguyễn Hữu Cảnh|Điện Biên Phủ|Ung Văn Khiêm|Nguyễn Gia Trí|Phú Mỹ",
    "Phường Phú Nhuận": "Phan Đình Phùng|Nguyễn Văn Trỗi|Huỳnh Văn Bánh|Phan Xích Long|Hoàng Văn Thụ",
    "Phường Tân Sơn Nhất": "Trường Sơn|Bạch Đằng|Hồng Hà|Cửu Long|Hoàng Văn Thụ",
    "Phường Gò Vấp": "Nguyễn Văn Nghi|Lê Quang Định|Nguyễn Văn Bảo|Quang Trung|Nguyễn Thái Sơn",
    "Phường Thủ Đức": "Võ Văn Ngân|Kha Vạn Cân|Đặng Văn Bi|Hoàng Diệu 2|Lê Văn Chí",
    "Phường Khánh Hội": "Khánh Hội|Hoàng Diệu|Nguyễn Tất Thành|Đoàn Văn Bơ|Tôn Thất Thuyết",
    "Phường Tân Thuận": "Huỳnh Tấn Phát|Nguyễn Văn Linh|Tân Mỹ|Lâm Văn Bền|Nguyễn Thị Thập",
    "Phường Thủ Dầu Một": "Cách Mạng Tháng Tám|Yersin|Bạch Đằng|Đinh Bộ Lĩnh|Nguyễn Thái Học|Ngô Quyền",
    "Phường Vũng Tàu": "Thùy Vân|Hạ Long|Quang Trung|Trần Phú|Lê Lợi|Ba Cu",
    "Phường Tam Thắng": "Lê Hồng Phong|Nguyễn An Ninh|Nam Kỳ Khởi Nghĩa|Lưu Chí Hiếu",
    "Phường Bà Rịa": "Cách Mạng Tháng Tám|Nguyễn Thanh Đằng|Hùng Vương|Bạch Đằng",
}
LANDMARKS = ["chợ", "trường tiểu học", "trạm y tế", "nhà văn hóa khu phố", "công viên", "cây xăng", "ngã tư", "cầu"]

# Per category: what citizens write (placeholders {place} {street} {n} {landmark} {days}) and what units answer.
TEXTS = {
    "ha-tang-ky-thuat": (
        [
            "Nắp hố ga bị vỡ trước {place}, rất nguy hiểm cho người đi xe máy, nhất là ban đêm.",
            "Mặt đường {street} đoạn gần {landmark} bị sụt lún, tạo ổ gà lớn, đã {days} ngày chưa ai sửa.",
            "Vỉa hè trước {place} bị bong tróc gạch, người già đi lại dễ té ngã.",
            "Đường ống thoát nước trên {street} bị tắc, nước thải tràn lên mặt đường.",
            "Công trình đào đường {street} xong không hoàn trả mặt bằng, bụi và nguy hiểm cho người đi đường.",
        ],
        [
            "Đã thay nắp hố ga mới và rào chắn khu vực trong thời gian thi công.",
            "Đã trám vá ổ gà, hoàn trả mặt đường.",
            "Đã yêu cầu đơn vị thi công hoàn trả mặt bằng, kiểm tra lại đạt yêu cầu.",
        ],
    ),
    "giao-thong": (
        [
            "Đèn tín hiệu giao thông tại giao lộ {street} gần {landmark} không hoạt động từ sáng, kẹt xe kéo dài.",
            "Biển báo cấm dừng đỗ trên {street} bị che khuất, đề nghị di dời để người dân dễ nhìn thấy.",
            "Kẹt xe thường xuyên giờ cao điểm trên {street} đoạn trước {landmark}, đề nghị bố trí người điều tiết.",
            "Xe tải lớn lưu thông vào giờ cấm trên {street}, gây nguy hiểm cho học sinh.",
        ],
        [
            "Đã phối hợp sửa chữa đèn tín hiệu, hoạt động bình thường.",
            "Đã bố trí lực lượng điều tiết giao thông giờ cao điểm.",
            "Đã lập biên bản xử lý phương tiện vi phạm và tăng cường tuần tra.",
        ],
    ),
    "trat-tu-do-thi": (
        [
            "Buôn bán lấn chiếm vỉa hè trước {place}, người đi bộ phải xuống lòng đường.",
            "Công trình xây dựng tại {place} có dấu hiệu xây sai phép, làm việc cả ban đêm gây ồn.",
            "Quán nhậu trên {street} mở nhạc lớn đến khuya, ảnh hưởng sinh hoạt khu dân cư.",
            "Xe máy đậu tràn lan trên vỉa hè {street} gần {landmark}, gây cản trở lối đi.",
            "Bảng quảng cáo trái phép treo trên cây và cột điện dọc {street}.",
        ],
        [
            "Đã kiểm tra, nhắc nhở và lập biên bản các trường hợp lấn chiếm, trả lại vỉa hè thông thoáng.",
            "Đã kiểm tra công trình, lập biên bản vi phạm và đình chỉ thi công phần sai phép.",
            "Đã mời chủ cơ sở làm việc, cam kết không gây ồn sau 22 giờ.",
        ],
    ),
    "ve-sinh-moi-truong": (
        [
            "Rác thải tồn đọng nhiều ngày tại góc đường {street} gần {landmark}, bốc mùi hôi.",
            "Có người đổ xà bần trái phép trên {street} vào ban đêm.",
            "Điểm tập kết rác trước {place} không được thu gom đúng giờ, rác tràn ra lòng đường.",
            "Cơ sở sản xuất trong hẻm {n} {street} xả khói và mùi khó chịu.",
        ],
        [
            "Đã thu gom, vệ sinh khu vực và bố trí camera giám sát điểm đổ rác.",
            "Đã yêu cầu đơn vị thu gom thực hiện đúng lịch, khu vực đã sạch.",
            "Đã kiểm tra cơ sở, yêu cầu khắc phục và xử phạt theo quy định.",
        ],
    ),
    "cap-nuoc-ngap-nuoc": (
        [
            "Mưa lớn chiều nay, đường {street} đoạn gần {landmark} ngập sâu khoảng 40 cm, xe chết máy hàng loạt.",
            "Triều cường làm ngập hẻm {n} {street}, nước tràn vào nhà dân.",
            "Khu vực {street} mất nước sinh hoạt {days} ngày nay, chưa có thông báo.",
            "Ống nước bị bể trước {place}, nước chảy lênh láng ra đường.",
            "Nước máy ở khu vực {street} có màu vàng đục và mùi lạ.",
        ],
        [
            "Đã nạo vét cống thoát nước, bố trí máy bơm khi mưa lớn.",
            "Đã phối hợp công ty cấp nước sửa chữa đường ống, cấp nước trở lại.",
            "Đã kiểm tra chất lượng nước, súc xả đường ống; chỉ tiêu đạt quy chuẩn.",
        ],
    ),
    "cay-xanh": (
        [
            "Cây xanh trước {place} nghiêng nhiều sau cơn mưa, có nguy cơ ngã đổ.",
            "Cành cây gãy treo lơ lửng trên {street} gần {landmark}, rất nguy hiểm.",
            "Cây đổ chắn ngang đường {street}, xe không qua được.",
            "Đề nghị cắt tỉa cây xanh trên {street} che khuất đèn đường.",
        ],
        [
            "Đã cắt tỉa, chặt hạ cây nguy hiểm và dọn dẹp hiện trường.",
            "Đã xử lý cây gãy đổ, thông đường.",
        ],
    ),
    "chieu-sang-dien": (
        [
            "Đèn đường trên {street} đoạn gần {landmark} không sáng nhiều đêm liền, rất tối.",
            "Dây điện chằng chịt, sà thấp trước {place}, nguy cơ chạm vào người.",
            "Trụ điện trên {street} bị nghiêng, có nguy cơ ngã.",
            "Khu vực hẻm {n} {street} cúp điện thường xuyên không báo trước.",
        ],
        [
            "Đã thay bóng đèn, hệ thống chiếu sáng hoạt động bình thường.",
            "Đã phối hợp điện lực chỉnh trang dây, dựng lại trụ điện.",
        ],
    ),
    "vien-thong": (
        [
            "Cáp viễn thông bị đứt, treo thấp ngang đường {street}, vướng vào xe qua lại.",
            "Tủ cáp trước {place} bị mở cửa, dây lòi ra ngoài.",
            "Sóng điện thoại khu vực {street} rất yếu, không gọi được.",
        ],
        [
            "Đã yêu cầu doanh nghiệp viễn thông thu hồi cáp, treo lại đúng quy định.",
            "Doanh nghiệp đã khắc phục, kiểm tra lại tín hiệu ổn định.",
        ],
    ),
    "giao-thong-cong-cong": (
        [
            "Xe buýt tuyến qua {street} thường xuyên bỏ trạm gần {landmark}.",
            "Nhà chờ xe buýt trước {place} bị hư mái, trời mưa không có chỗ trú.",
            "Tài xế xe buýt chạy ẩu trên {street}, phanh gấp làm hành khách té.",
        ],
        [
            "Đã yêu cầu đơn vị vận tải chấn chỉnh, xử lý tài xế vi phạm.",
            "Đã sửa chữa nhà chờ xe buýt.",
        ],
    ),
    "tai-nguyen-moi-truong": (
        [
            "Có dấu hiệu san lấp kênh rạch trái phép gần {place}.",
            "Khai thác cát trái phép trên sông gần khu vực {street} vào ban đêm.",
            "Đất công tại {place} bị lấn chiếm để xây dựng.",
        ],
        [
            "Đã kiểm tra hiện trường, lập biên bản và buộc khôi phục hiện trạng.",
            "Đã phối hợp lực lượng chức năng tuần tra, xử lý vi phạm.",
        ],
    ),
    "y-te": (
        [
            "Khu vực hẻm {n} {street} có nhiều ca sốt xuất huyết, đề nghị phun thuốc diệt muỗi.",
            "Cơ sở bán thuốc trên {street} bán thuốc kê đơn không cần đơn.",
            "Trạm y tế gần {landmark} đông người chờ, thời gian tiếp nhận chậm.",
        ],
        [
            "Đã phun hóa chất diệt muỗi và tuyên truyền người dân diệt lăng quăng.",
            "Đã kiểm tra cơ sở, xử phạt và yêu cầu chấp hành đúng quy định.",
        ],
    ),
    "du-lich": (
        [
            "Khách du lịch bị chèo kéo, nâng giá dịch vụ tại khu vực {street}.",
            "Điểm tham quan gần {landmark} thiếu nhà vệ sinh công cộng.",
            "Xe ôm tự phát tại {street} thu tiền du khách quá cao.",
        ],
        [
            "Đã kiểm tra, nhắc nhở các hộ kinh doanh niêm yết giá và bán đúng giá.",
            "Đã đề xuất bổ sung nhà vệ sinh công cộng tại điểm tham quan.",
        ],
    ),
    "thu-tuc-hanh-chinh": (
        [
            "Nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất đã quá hẹn {days} ngày nhưng chưa có kết quả.",
            "Đăng ký khai sinh cho con trên Cổng dịch vụ công bị báo lỗi, không nộp được.",
            "Cán bộ tiếp nhận hồ sơ chứng thực tại trung tâm phục vụ hành chính công yêu cầu bổ sung nhiều lần.",
            "Hồ sơ đăng ký thường trú nộp trực tuyến chưa được phản hồi sau {days} ngày.",
            "Đề nghị hướng dẫn thủ tục cấp phép xây dựng nhà ở riêng lẻ sau khi sắp xếp đơn vị hành chính.",
            "Chờ lấy số thứ tự tại trung tâm hành chính công hơn hai giờ mà chưa được tiếp nhận.",
        ],
        [
            "Đã liên hệ hướng dẫn người dân, hồ sơ đã được giải quyết và trả kết quả.",
            "Đã xin lỗi người dân về việc trễ hẹn và trả kết quả.",
            "Đã hướng dẫn đầy đủ thành phần hồ sơ theo quy định.",
        ],
    ),
    "kien-nghi-lanh-dao": (
        [
            "Kiến nghị Thành phố sớm hoàn thiện tuyến đường {street} đã thi công dở dang nhiều năm.",
            "Đề nghị lãnh đạo Thành phố xem xét bố trí thêm trường học cho khu vực đông dân cư gần {landmark}.",
            "Kiến nghị giải quyết dứt điểm tình trạng ngập nước tại {street} mỗi mùa mưa.",
        ],
        [
            "Văn phòng UBND Thành phố đã chuyển kiến nghị đến sở ngành liên quan và trả lời người dân.",
            "Đã tổng hợp, báo cáo lãnh đạo Thành phố; nội dung đưa vào kế hoạch năm.",
        ],
    ),
    "khac": (
        [
            "Chó thả rông không rọ mõm trong khu vực {street}, đã cắn người.",
            "Nhà trống trước {place} có người lạ tụ tập, nghi sử dụng chất cấm.",
            "Đề nghị lắp thêm camera an ninh tại hẻm {n} {street}.",
            "Tiếng ồn karaoke từ nhà dân trong hẻm {n} {street} kéo dài đến khuya.",
        ],
        [
            "Đã phối hợp công an phường kiểm tra, nhắc nhở và xử lý.",
            "Đã tiếp thu, đưa vào kế hoạch của địa phương.",
        ],
    ),
}
SATISFIED_COMMENTS = ["", "", "Cảm ơn cán bộ đã xử lý nhanh.", "Xử lý tốt.", "Rất hài lòng.", "Cảm ơn phường."]
UNSATISFIED_COMMENTS = ["Chưa xử lý triệt để.", "Tình trạng vẫn tiếp diễn.", "Xử lý chậm.", ""]
REOPEN_REASONS = ["Sau vài ngày tình trạng lặp lại.", "Mới khắc phục tạm thời, chưa triệt để.", "Chưa được xử lý."]


@dataclass
class _Unit:
    org: Organisation
    weight: float
    on_time: float
    streets: list[str]
    point: tuple[float, float] | None
    spread: float


@dataclass
class _Cat:
    category: Category
    weight: float
    season: tuple
    templates: list[str]
    results: list[str]
    department: Organisation | None
    folded_name: str = ""


@dataclass
class _Plan:
    report: Report
    events: list = field(default_factory=list)


class _Folder(dict):
    """fold() character by character (valid on NFC text): cached, so folding a million texts stays cheap."""

    def __missing__(self, codepoint):
        value = fold(f"a{chr(codepoint)}a")[1:-1]  # between letters, so a space is not trimmed away
        self[codepoint] = value
        return value


_FOLD = _Folder()


def fast_fold(value: str) -> str:
    """The same result as thongsuot.core.text.fold, several times faster."""
    return normalise_space(value).lower().translate(_FOLD)


def _region(org: Organisation) -> str:
    code = int(org.admin_code or 0)
    lat, lon = org.latitude or CENTRE[0], org.longitude or CENTRE[1]
    if lat < 9.5:
        return "con_dao"
    if code and code < 26500:
        return "binh_duong"
    if code and code < 26734:
        return "ba_ria_vung_tau"
    if org.division_type != Organisation.DivisionType.WARD:
        return "outer"
    if lon > 106.735 and lat > 10.76:
        return "east"
    return "core"


def _ward_areas() -> dict[str, float]:
    """Area (km²) per administrative code from vietnamadminunits, when available."""
    try:
        import sqlite3
        from pathlib import Path

        import vietnamadminunits

        db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT DISTINCT wardCode, wardAreaKm2 FROM admin_units WHERE provinceCode='79'")
            return {str(int(code)): float(area) for code, area in rows if code and area}
    except Exception:  # pragma: no cover - optional data
        return {}


def _units(rng: random.Random) -> list[_Unit]:
    areas = _ward_areas()
    units = []
    base = {"phuong": 3.0, "xa": 1.0, "dac_khu": 0.25}
    for org in Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, is_active=True).order_by("seq", "code"):
        area = areas.get(org.admin_code or "", 25.0)
        lat, lon = org.latitude, org.longitude
        distance = math.hypot(((lat or CENTRE[0]) - CENTRE[0]) * 111, ((lon or CENTRE[1]) - CENTRE[1]) * 109)
        weight = base.get(org.division_type, 1.0) * (0.6 + 1.2 / (1 + area / 8))
        weight *= 0.7 + 0.6 * math.exp(-distance / 15)
        weight *= rng.lognormvariate(0, 0.3)
        own = WARD_STREETS.get(org.name)
        pool = STREETS[_region(org)].split("|")
        picker = random.Random(f"streets-{org.admin_code or org.code}")
        streets = own.split("|") if own else picker.sample(pool, min(8, len(pool)))
        units.append(
            _Unit(
                org=org,
                weight=weight,
                on_time=0.845 + 0.08 * rng.betavariate(2, 2),
                streets=streets,
                point=(lat, lon) if lat is not None and lon is not None else None,
                spread=min(0.02, max(0.003, math.sqrt(area) / 111 / 2.5)),
            )
        )
    return units


def _categories() -> list[_Cat]:
    departments = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, is_active=True)}
    cats = []
    for category in Category.objects.filter(is_active=True).select_related("department").order_by("position", "code"):
        weight, season = CATEGORY_MIX.get(category.code, (20, _FLAT))
        templates, results = TEXTS.get(category.code, TEXTS["khac"])
        department = None
        if category.responsible == Category.Responsible.DEPARTMENT:
            department = category.department or departments.get(category.department_code)
        cats.append(_Cat(category, weight, season, templates, results, department, fast_fold(category.name)))
    return cats


class _Calendar:
    """The shared working-day calendar, precomputed: due dates through add_working_days once per (date, days);
    other steps (late results, auto-close) over the working days the same calendar rules give."""

    def __init__(self, first: date, last: date):
        self._due: dict[tuple[date, int], date] = {}
        self.first, self.last = first, last
        exceptions = calendar_exceptions(first, last)
        self.days = [
            first + timedelta(days=i)
            for i in range((last - first).days + 1)
            if calendar_is_working(first + timedelta(days=i), exceptions)
        ]
        self._set = set(self.days)

    def due(self, day: date, days: int) -> date:
        """add_working_days(day, days), cached."""
        key = (day, days)
        if key not in self._due:
            self._due[key] = add_working_days(day, days)
        return self._due[key]

    def working(self, day: date) -> bool:
        if self.first <= day <= self.last:
            return day in self._set
        return self.due(day, 0) == day

    def next_working(self, day: date) -> date:
        return self.plus(day, 0)

    def plus(self, day: date, days: int) -> date:
        """The same as add_working_days(day, days), from the precomputed list when inside it."""
        i = bisect.bisect_left(self.days, day) if days == 0 else bisect.bisect_right(self.days, day) + days - 1
        if self.first <= day and i < len(self.days):
            return self.days[i]
        return self.due(day, days)


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder: the parts add up exactly)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _cum(weights) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


def _key(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()[:22]


def _office_time(rng: random.Random, day: date) -> datetime:
    minutes = rng.randint(7 * 60 + 30, 17 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60, rng.randint(0, 59)), tzinfo=TZ)


def _code_counters(months: list[str]) -> dict[str, int]:
    counters = dict(CodeSequence.objects.filter(prefix__in=months).values_list("prefix", "last"))
    for prefix in months:  # never reuse a code left by a run that did not update its sequence
        last = (
            Report.objects.filter(code__startswith=prefix + "-", code__regex=r"-[0-9]+$")
            .annotate(n=Length("code"))
            .order_by("-n", "-code")
            .values_list("code", flat=True)
            .first()
        )
        if last:
            counters[prefix] = max(counters.get(prefix, 0), int(last.rsplit("-", 1)[1]))
    return counters


class _Generator:
    def __init__(self, *, rng, units, cats, calendar, as_of, with_events, staff=None):
        self.rng = rng
        self.staff = staff or {}  # organisation id → a staff account there, the actor of its unit's events
        self.units = units
        self.unit_cum = _cum(u.weight for u in units)
        self.unit_index = {u.org.pk: i for i, u in enumerate(units)}
        self.cats = cats
        self.calendar = calendar
        self.as_of = as_of
        self.with_events = with_events
        self.channels = [c for c, _w in CHANNEL_MIX]
        self.channel_cum = _cum(w for _c, w in CHANNEL_MIX)
        self.reason_cum = _cum(w for _r, w in REJECT_REASONS)
        self.hours_office = _cum(HOURS_OFFICE)
        self.hours_online = _cum(HOURS_ONLINE)
        self.family_cum = _cum(FAMILY_WEIGHTS)
        self.department_on_time = {}
        self.auto_close = getattr(settings, "FEEDBACK_AUTO_CLOSE_DAYS", 10)

    # Who, where, what ---------------------------------------------------------------------------

    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        family = rng.choices(FAMILY, cum_weights=self.family_cum)[0]
        name = f"{family} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
        email = ""
        if rng.random() < 0.22:
            email = f"{fast_fold(name).replace(' ', '.')}{rng.randrange(100)}@example.com"
        return name, phone, email

    def text(self, cat: _Cat, unit: _Unit) -> tuple[str, str]:
        rng = self.rng
        street = rng.choice(unit.streets)
        number = rng.randint(1, 420)
        if rng.random() < 0.3:
            number = f"{number}/{rng.randint(1, 60)}"
        place = f"số {number} {street}"
        values = {
            "place": place,
            "street": street,
            "n": rng.randint(2, 480),
            "landmark": rng.choice(LANDMARKS),
            "days": rng.randint(3, 30),
        }
        description = rng.choice(cat.templates).format(**values)
        address = f"{number} {street}, {unit.org.name}, {CITY}"
        return description, address

    # The life of one report -------------------------------------------------------------------

    def plan(self, received: datetime, channel: str, cat: _Cat, unit: _Unit, code: str) -> _Plan:
        rng, as_of, cal = self.rng, self.as_of, self.calendar
        name, phone, email = self.person()
        if channel == Channel.EMAIL:
            email = email or f"nguoidan{rng.randrange(10**6)}@example.com"
            phone = phone if rng.random() < 0.5 else ""
        description, address = self.text(cat, unit)
        public_description = ""
        if rng.random() < 0.05:  # the citizen wrote their contact in the text: the public text leaves it out
            public_description = description
            description = f"{description} Liên hệ {name}, số điện thoại {phone}."
        lat = lon = None
        if unit.point and rng.random() < WITH_POINT.get(channel, 0.5):
            lat = round(rng.gauss(unit.point[0], unit.spread), 6)
            lon = round(rng.gauss(unit.point[1], unit.spread), 6)
        days = cat.category.handling_days
        report = Report(
            code=code,
            channel=channel,
            category=cat.category,
            description=description,
            public_description=public_description,
            address=address,
            latitude=lat,
            longitude=lon,
            resolved_unit=unit.org,
            resolution_method="nearest" if lat is not None else "new",
            contact_name=name,
            contact_phone=phone,
            contact_email=email,
            citizen_key=_key(rng),
            status=Status.RECEIVED,
            received_at=received,
            due_date=cal.due(received.date(), days),
        )
        report.search_folded = " ".join(
            p for p in (code.lower(), cat.folded_name, fast_fold(report.public_text), fast_fold(report.address)) if p
        )
        plan = _Plan(report)
        channel_label = Channel(channel).label
        self.event(plan, received, "citizen", "submit", "", Status.RECEIVED, f"Tiếp nhận qua kênh {channel_label}.")

        if rng.random() < REJECTED_SHARE:
            self.reject(plan, received)
            return plan
        # Verified and forwarded in one step, mostly within 5 minutes.
        r = rng.random()
        if r < 0.9:
            delay = min(rng.expovariate(1 / 100), 280) + 15
        elif r < 0.98:
            delay = rng.uniform(300, 3600)
        else:
            delay = rng.uniform(3600, 8 * 3600)
        forwarded = received + timedelta(seconds=delay)
        verified = forwarded - timedelta(seconds=min(delay - 1, rng.uniform(5, 40)))
        if verified > as_of:
            return plan
        report.verified_at = verified
        self.event(plan, verified, DISPATCHER, "verify", Status.RECEIVED, Status.VERIFIED, "", public=True)
        if forwarded > as_of:
            report.status = Status.VERIFIED
            return plan
        target = cat.department or unit.org
        if cat.department is None and rng.random() < 0.035:  # sent to a neighbour first, returned: "not ours"
            wrong = self.units[(self.unit_index[unit.org.pk] + rng.choice((-1, 1))) % len(self.units)].org
            self.assign(plan, forwarded, Status.VERIFIED, wrong)
            returned = forwarded + timedelta(hours=rng.uniform(1, 20))
            if returned > as_of:
                report.status, report.organisation, report.forwarded_at = Status.ASSIGNED, wrong, forwarded
                return plan
            report.return_count = 1
            self.event(
                plan, returned, f"Cán bộ {wrong.name}", "return", Status.ASSIGNED, Status.VERIFIED,
                f"Địa điểm thuộc {unit.org.name}.", public=False, actor_id=self.staff.get(wrong.pk),
            )  # fmt: skip
            forwarded = returned + timedelta(minutes=rng.uniform(3, 90))
            if forwarded > as_of:
                report.status = Status.VERIFIED
                return plan
        report.organisation, report.forwarded_at = target, forwarded
        self.assign(plan, forwarded, Status.VERIFIED, target)
        self.handle(plan, target, cat, start=forwarded, due=report.due_date, first=True)
        return plan

    def reject(self, plan: _Plan, received: datetime) -> None:
        rng, report = self.rng, plan.report
        decided = received + timedelta(seconds=rng.uniform(60, 3600))
        if decided > self.as_of:
            return
        reason = rng.choices([r for r, _w in REJECT_REASONS], cum_weights=self.reason_cum)[0]
        note = rng.choice(REJECT_NOTES[reason])
        report.status, report.reject_reason, report.status_note, report.closed_at = (
            Status.REJECTED,
            reason,
            note,
            decided,
        )
        self.event(plan, decided, DISPATCHER, "reject", Status.RECEIVED, Status.REJECTED, note)

    def assign(self, plan: _Plan, at: datetime, from_status: str, org: Organisation) -> None:
        self.event(plan, at, DISPATCHER, "assign", from_status, Status.ASSIGNED, f"Chuyển {org.name} xử lý.")

    def on_time_rate(self, org: Organisation) -> float:
        if org.pk in self.unit_index:
            return self.units[self.unit_index[org.pk]].on_time
        if org.pk not in self.department_on_time:
            self.department_on_time[org.pk] = 0.84 + 0.08 * self.rng.random()
        return self.department_on_time[org.pk]

    def handle(self, plan: _Plan, org: Organisation, cat: _Cat, *, start: datetime, due: date, first: bool) -> None:
        """A unit handles the report from `start` to a result, publication, rating (maybe a second round)."""
        rng, as_of, cal, report = self.rng, self.as_of, self.calendar, plan.report
        handler = f"Cán bộ {org.short_name or org.name}"
        previous = Status.ASSIGNED if first else Status.REOPENED
        if first:
            accepted = start + timedelta(hours=min(rng.expovariate(1 / 3), 30))
        else:
            accepted = start
        started = accepted + timedelta(hours=rng.uniform(0.2, 20))
        on_time = rng.random() < (self.on_time_rate(org) if first else 0.9)
        earliest = cal.next_working(started.date())
        if on_time and earliest <= due:
            span = (due - earliest).days
            day = earliest + timedelta(days=int(span * rng.random() ** 1.7))
            day = day if cal.working(day) else min(cal.next_working(day), due)
        else:
            late = 1 + min(int(rng.expovariate(1 / 3)), 40)
            day = cal.plus(max(due, earliest), late)
        resolved = _office_time(rng, day)
        if resolved <= started:
            resolved = started + timedelta(hours=rng.uniform(0.5, 4))

        if first:
            if as_of < accepted:
                report.status = Status.ASSIGNED
                self.overdue(report, due)
                return
            report.accepted_at = accepted
            self.event(plan, accepted, handler, "accept", Status.ASSIGNED, Status.ACCEPTED, "")
            previous = Status.ACCEPTED
        if as_of < started:
            report.status = previous
            self.overdue(report, due)
            return
        self.event(plan, started, handler, "start", previous, Status.IN_PROGRESS, "Đang kiểm tra thực tế.")
        if day > due and rng.random() < 0.3:
            committed = min(day, cal.plus(due, 3))
            promised = started + timedelta(hours=rng.uniform(2, 30))
            if promised <= as_of and promised < resolved:
                report.committed_date = committed
                note = f"Đang phối hợp xử lý, hẹn hoàn thành ngày {committed:%d/%m/%Y}."
                self.event(plan, promised, handler, "progress", "", "", note)
        if as_of < resolved:
            report.status = Status.IN_PROGRESS
            self.overdue(report, due)
            return
        result = rng.choice(cat.results)
        report.status, report.resolved_at, report.resolution, report.overdue = Status.RESOLVED, resolved, result, False
        self.event(plan, resolved, handler, "resolve", Status.IN_PROGRESS, Status.RESOLVED, result)

        published = resolved + timedelta(hours=min(rng.expovariate(1 / 5), 72))
        if as_of < published:
            return
        report.status, report.published_at = Status.PUBLISHED, published
        leader = f"Lãnh đạo {org.short_name or org.name}"
        self.event(plan, published, leader, "publish", Status.RESOLVED, Status.PUBLISHED)

        close_day = cal.plus(published.date(), self.auto_close)
        auto_close = datetime.combine(close_day + timedelta(days=1), time(0, rng.randint(1, 14)), tzinfo=TZ)
        if rng.random() < (0.58 if first else 0.45):
            rated = published + timedelta(hours=min(rng.expovariate(1 / 30), 24 * 9))
            if as_of < rated:
                return
            satisfied = rng.random() < (0.9 if on_time else 0.68)
            rating = rng.choices((5, 4), (65, 35))[0] if satisfied else rng.choices((1, 2, 3), (25, 40, 35))[0]
            comment = rng.choice(SATISFIED_COMMENTS if satisfied else UNSATISFIED_COMMENTS)
            report.status, report.rating, report.satisfied, report.rating_comment = (
                Status.RATED,
                rating,
                satisfied,
                comment,
            )
            self.event(plan, rated, "citizen", "rate", Status.PUBLISHED, Status.RATED, comment)
            if satisfied:
                report.status, report.closed_at = Status.CLOSED, rated
                self.event(plan, rated, "citizen", "close", Status.RATED, Status.CLOSED)
                return
            if not first or rng.random() < 0.55:
                return  # stays rated: not satisfied, not reopened
            reopened = rated + timedelta(hours=rng.uniform(0.5, 48))
            if as_of < reopened:
                return
            reason = rng.choice(REOPEN_REASONS)
            report.status, report.reopen_count, report.overdue = Status.REOPENED, report.reopen_count + 1, False
            report.due_date = cal.due(reopened.astimezone(TZ).date(), cat.category.handling_days)
            self.event(plan, reopened, "citizen", "reopen", Status.RATED, Status.REOPENED, reason)
            self.handle(plan, org, cat, start=reopened, due=report.due_date, first=False)
            return
        if auto_close <= as_of:
            report.status, report.closed_at = Status.CLOSED, auto_close
            note = f"Đóng: người dân không đánh giá trong {self.auto_close} ngày làm việc."
            self.event(plan, auto_close, "system", "close", Status.PUBLISHED, Status.CLOSED, note)

    def overdue(self, report: Report, due: date) -> None:
        if self.as_of.date() > due:
            flagged = datetime.combine(due + timedelta(days=1), time(0, self.rng.randint(1, 14)), tzinfo=TZ)
            if flagged <= self.as_of:
                report.overdue, report.overdue_notified_at = True, flagged

    def event(self, plan, at, actor, action, from_status, to_status, note="", public=True, actor_id=None) -> None:
        if self.with_events:
            plan.events.append((at, actor, action, from_status, to_status, note, public, actor_id))


def _day_weights(days: list[date], cats: list[_Cat], calendar: _Calendar) -> list[float]:
    weights = []
    for day in days:
        mix = sum(c.weight * c.season[day.month - 1] for c in cats)
        factor = WEEKDAY[day.weekday()]
        if day.weekday() < 5 and not calendar.working(day):
            factor *= DAY_OFF
        weights.append(mix * factor)
    return weights


def _flush(plans: list[_Plan], counters: dict[str, int], touched: set[str]) -> None:
    with transaction.atomic():
        reports = [p.report for p in plans]
        Report.objects.bulk_create(reports, batch_size=2000 if connection.vendor == "postgresql" else None)
        if any(p.events for p in plans):
            if any(r.pk is None for r in reports):  # a backend without RETURNING: look the ids up
                ids = dict(Report.objects.filter(code__in=[r.code for r in reports]).values_list("code", "pk"))
                for r in reports:
                    r.pk = ids[r.code]
            events = [
                ReportEvent(
                    report_id=p.report.pk,
                    at=at,
                    actor_id=actor_id,
                    actor_label=actor,
                    action=action,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                    public=public,
                )
                for p in plans
                for at, actor, action, from_status, to_status, note, public, actor_id in p.events
            ]
            ReportEvent.objects.bulk_create(events, batch_size=5000 if connection.vendor == "postgresql" else None)
        for prefix in sorted(touched):
            CodeSequence.objects.update_or_create(prefix=prefix, defaults={"last": counters[prefix]})


def _staff() -> dict[int, int]:
    """A 1022 handler (else any active staff member) of every unit that has one, by organisation id: the
    demo's returns "not ours" are theirs, so the statistics count them for the unit that returned them."""
    from thongsuot.accounts.models import User

    found: dict[int, int] = {}
    staff = User.objects.filter(kind=User.Kind.STAFF, is_active=True, organisation__isnull=False)
    handles = User.roles.through.objects.filter(user=OuterRef("pk"), role__code="feedback_handler")
    rows = staff.annotate(handler=Exists(handles)).order_by("-handler", "pk").values_list("pk", "organisation_id")
    for user_id, organisation_id in rows:
        found.setdefault(organisation_id, user_id)
    return found


def generate_reports(
    *,
    count: int,
    start: date,
    end: date,
    seed: int = 1022,
    batch_size: int = 5000,
    progress=None,
    with_events: bool | None = None,
    as_of: datetime | None = None,
) -> int:
    """Insert `count` demo reports received in [start, end) (Asia/Ho_Chi_Minh) and return how many.

    Statuses reflect the moment `as_of` (default: the start of `end`, so the last days are still being
    handled). Events (the staff timeline) are written when `with_events`, by default for up to 5,000
    reports. `progress(done, total)` is called after every batch."""
    if count <= 0:
        return 0
    if end <= start:
        raise ValueError("end must be after start")
    with_events = count <= EVENTS_DEFAULT_LIMIT if with_events is None else with_events
    as_of = as_of or datetime.combine(end, time.min, tzinfo=TZ)
    rng = random.Random(seed)
    units = _units(rng)
    cats = _categories()
    if not units or not cats:
        raise RuntimeError("Load the directory (manage.py load_directory) and migrate the feedback app first")
    calendar = _Calendar(start - timedelta(days=1), max(end, as_of.date()) + timedelta(days=400))
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    per_day = _allocate(count, _day_weights(days, cats, calendar))
    months = sorted({f"{CODE_PREFIX}-{d:%y%m}" for d, n in zip(days, per_day, strict=True) if n})
    counters = _code_counters(months)
    gen = _Generator(
        rng=rng,
        units=units,
        cats=cats,
        calendar=calendar,
        as_of=as_of,
        with_events=with_events,
        staff=_staff() if with_events else None,  # only events have actors
    )
    season_cum = {m: _cum(c.weight * c.season[m - 1] for c in cats) for m in range(1, 13)}
    unit_choices = rng.choices
    done, plans, touched = 0, [], set()
    for day, n in zip(days, per_day, strict=True):
        if not n:
            continue
        cat_cum = season_cum[day.month]
        drafts = []
        for _i in range(n):
            channel = gen.channels[bisect.bisect_left(gen.channel_cum, rng.random() * gen.channel_cum[-1])]
            hours = gen.hours_office if channel == Channel.HOTLINE else gen.hours_online
            hour = bisect.bisect_right(hours, rng.random() * hours[-1])
            received = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=TZ)
            cat = unit_choices(cats, cum_weights=cat_cum)[0]
            unit = unit_choices(units, cum_weights=gen.unit_cum)[0]
            drafts.append((received, rng.random(), channel, cat, unit))
        drafts.sort(key=lambda d: (d[0], d[1]))
        prefix = f"{CODE_PREFIX}-{day:%y%m}"
        for received, _tie, channel, cat, unit in drafts:
            counters[prefix] = counters.get(prefix, 0) + 1
            touched.add(prefix)
            plans.append(gen.plan(received, channel, cat, unit, f"{prefix}-{counters[prefix]:06d}"))
        if len(plans) >= batch_size:
            _flush(plans, counters, touched)
            done += len(plans)
            plans, touched = [], set()
            if progress:
                progress(done, count)
    if plans:
        _flush(plans, counters, touched)
        done += len(plans)
        if progress:
            progress(done, count)
    return done


def demo_reports():
    """The generated reports (recognisable by their code prefix)."""
    return Report.objects.filter(code__startswith=f"{CODE_PREFIX}-")


def delete_demo_reports(*, chunk: int = 5000) -> int:
    """Delete the generated reports with their timelines, in chunks; real reports are left alone."""
    ids = list(demo_reports().order_by("pk").values_list("pk", flat=True))
    deleted = 0
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        with transaction.atomic():
            Report.objects.filter(merged_into__in=part).exclude(pk__in=part).update(merged_into=None)
            Report.objects.filter(pk__in=part).update(merged_into=None)
            ReportEvent.objects.filter(report_id__in=part)._raw_delete(connection.alias)
            deleted += Report.objects.filter(pk__in=part).delete()[1].get(Report._meta.label, 0)
    CodeSequence.objects.filter(prefix__startswith=f"{CODE_PREFIX}-").delete()
    return deleted
