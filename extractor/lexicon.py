"""The words the quantity tagger knows: scale words and units.

Units are matched longest first. A unit may be glued to its number ("9.800ha",
"2.424,4MW") only if it is in GLUED_UNITS: a glued word is otherwise a code ("5T").
"""

from __future__ import annotations

SCALES: dict[str, int] = {
    "nghìn": 10**3,
    "ngàn": 10**3,
    "vạn": 10**4,
    "triệu": 10**6,
    "tỷ": 10**9,
    "tỉ": 10**9,
}

# Longest first at match time. Units glued to the number ("9.800ha", "2.424,4MW") are
# the ones in GLUED_UNITS.
MONEY_UNITS: tuple[str, ...] = ("đồng", "USD", "đô la Mỹ", "NDT", "Euro")
UNITS: tuple[str, ...] = (
    *MONEY_UNITS,
    # area, length, volume, mass, energy, power
    "ha",
    "héc-ta",
    "m²",
    "m³",
    "m2",
    "m3",
    "km²",
    "km2",
    "km",
    "Km",
    "m",
    "tấn.km",
    "tấn",
    "tạ",
    "kg",
    "kWh",
    "KWh",
    "MWh",
    "MW",
    "kW",
    "KW",
    "MVA",
    "lít",
    "giờ",
    "ngày khách",
    "ngày",
    # transport
    "HK.Km",
    "HK.km",
    "HK",
    "lượt HK",
    "lượt xe",
    "chuyến",
    "tuyến",
    "xe",
    "chiếc",
    # people
    "lượt khách",
    "lượt người",
    "lượt bệnh nhân",
    "lượt học sinh",
    "lượt hộ gia đình",
    "lượt thôn bản",
    "lượt vụ",
    "lượt doanh nghiệp",
    "lượt",
    "người",
    "lao động",
    "hộ gia đình",
    "hộ",
    "khẩu",
    "học sinh",
    "học viên",
    "thí sinh",
    "cháu",
    "em",
    "liều",
    "sinh viên",
    "giáo viên",
    "trẻ em",
    "trẻ",
    "bác sĩ",
    "bác sỹ",
    "bệnh nhân",
    "cán bộ",
    "công chức",
    "viên chức",
    "đối tượng",
    "thân nhân",
    "tân binh",
    "vận động viên",
    "nhà đầu tư",
    "khách hàng",
    "trường hợp",
    "ca",
    "du khách",
    # organisations and places
    "doanh nghiệp",
    "DN",
    "hợp tác xã",
    "HTX",
    "chủ thể",
    "tổ chức",
    "cơ sở",
    "cơ quan",
    "đơn vị",
    "xã",
    "phường",
    "thôn",
    "bản",
    "huyện",
    "trường",
    "lớp",
    "điểm",
    "trạm",
    "nhà máy",
    "cụm công nghiệp",
    "khu công nghiệp",
    "trang trại",
    "đàn ong",
    "đàn",
    "hội đồng",
    "đoàn",
    "gian hàng",
    "làn xe",
    "lồng",
    "thùng",
    "chậu",
    "giường",
    # things counted
    "dự án",
    "công trình",
    "hồ sơ",
    "giấy chứng nhận",
    "quyết định",
    "văn bản",
    "đơn",
    "vụ việc",
    "vụ",
    "cuộc",
    "buổi",
    "giải",
    "lễ hội",
    "sản phẩm",
    "mặt hàng",
    "nhiệm vụ",
    "đề tài",
    "mô hình",
    "sáng kiến",
    "nhãn hiệu",
    "chương trình",
    "đề án",
    "công việc",
    "thủ tục",
    "TTHC",
    "dịch vụ công",
    "dịch vụ",
    "thiết bị",
    "cây",
    "viên",
    "ổ dịch",
    "dân tộc",
    "sao",
    "đồ án",
    "hội thảo",
    "hội nghị",
    "giống",
    "trận",
    "lượt xe",
    "tờ",
    "con",
    "suất quà",
    "suất",
    "phần quà",
    "tài liệu",
    "lớp tập huấn",
    "lớp bồi dưỡng",
    "huy chương",
    "giải thưởng",
    "tiêu chí",
    "loại",
    "nhóm",
    "tuổi",
    "phương án",
    "nhà",
    "căn",
    "chứng thư",
    "tin",
    "bài",
    "đợt",
)
GLUED_UNITS = (
    "ha",
    "m²",
    "m³",
    "m2",
    "m3",
    "km²",
    "km2",
    "km",
    "Km",
    "MW",
    "kW",
    "KW",
    "kWh",
    "KWh",
    "MWh",
    "tấn",
    "kg",
    "%",
    "‰",
)

# Units that count the same kind of thing: a total in "lao động" broken down in "người".
_PEOPLE = {
    "người",
    "lao động",
    "học sinh",
    "học viên",
    "sinh viên",
    "thí sinh",
    "trẻ",
    "trẻ em",
    "cháu",
    "em",
    "khẩu",
    "đối tượng",
    "bệnh nhân",
    "cán bộ",
    "công chức",
    "viên chức",
    "giáo viên",
}
_FIRMS = {"doanh nghiệp", "DN"}
_GIFTS = {"suất", "suất quà", "phần quà", "phần"}


# measures, not counts: "1250 ha" is 1.249,5 to 1.250,5 ha, "24.200.000 USD" rounded too
MEASURED = frozenset(
    (
        *("ha", "héc-ta", "m²", "m³", "m2", "m3", "km²", "km2", "km", "Km", "m"),
        *("tấn", "tạ", "kg", "tấn.km", "lít", "kWh", "KWh", "MWh", "MW", "kW", "KW", "MVA"),
        *("đồng", "USD", "đô la Mỹ", "NDT", "Euro", "giờ", "ngày", "ngày khách"),
    )
)


def family(unit: str | None) -> str | None:
    """The kind of thing a unit counts, so that parts and totals written with different
    words still compare ("lượt khách" and "lượt", "lao động" and "người")."""
    if unit is None:
        return None
    if unit.endswith(("/năm", "/tháng")):  # "30.000 tỉ đồng/năm": a flow, still money
        unit = unit.rsplit("/", 1)[0]
    if unit in _PEOPLE:
        return "people"
    if unit.startswith("lượt"):  # "lượt khách" broken down as "... 57.191 lượt"
        return "lượt"
    if unit == "đàn":  # "hơn 384 nghìn đàn lợn": head of the pig herd
        return "con"
    if unit in _FIRMS:
        return "firms"
    if unit in _GIFTS:
        return "gifts"
    return unit
