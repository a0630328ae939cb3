/// The words of a statistics report in its reader's language (`--lang en|lo|vi`): titles,
/// headings, the dimensions' names, period names and the legend of hidden cells. The
/// values' labels come with the report, from the policy (labels.yaml, agencies.yaml,
/// provinces.yaml); these are Haven's own words. English is as it always was, so scripts
/// reading the English table see no change.
public struct StatisticsWords: Sendable {
    public let language: String

    public init(_ language: String) {
        self.language = ["lo", "vi"].contains(language) ? language : "en"
    }

    private func pick(_ en: String, _ lo: String, _ vi: String) -> String {
        language == "lo" ? lo : language == "vi" ? vi : en
    }

    public var count: String { pick("Count", "ຈຳນວນ", "Số lượng") }
    public var all: String { pick("All", "ທັງໝົດ", "Tất cả") }
    public var incidents: String { pick("Incidents", "ເຫດການ", "Số vụ việc") }

    /// The title: the period, its months (unless it is one) and what it is counted by.
    public func title(period: String, from: String, to: String, dimensions: [String]) -> String {
        let months = from == to ? "" : language == "lo" ? " (\(monthName(from)) ຫາ \(monthName(to)))"
            : " (từ \(monthName(from)) đến \(monthName(to)))"
        switch language {
        case "lo":
            return "ຈຳນວນເຫດການ, \(periodName(period))\(months), ແຍກຕາມ \(dimensions.map(dimension).joined(separator: ", "))"
        case "vi":
            return "Số vụ việc, \(periodName(period))\(months), theo \(dimensions.map(dimension).joined(separator: ", "))"
        default:
            return "Incidents, \(period) (\(from) to \(to)), by \(dimensions.joined(separator: ", "))"
        }
    }

    /// A dimension's heading (`incident_type` → "Type of incident").
    public func dimension(_ code: String) -> String {
        switch StatisticsDimension(rawValue: code) {
        case .month: return pick("Month", "ເດືອນ", "Tháng")
        case .incidentType: return pick("Type of incident", "ປະເພດເຫດການ", "Loại vụ việc")
        case .province: return pick("Province", "ແຂວງ", "Tỉnh, thành phố")
        case .ageGroup: return pick("Age group", "ກຸ່ມອາຍຸ", "Nhóm tuổi")
        case .sex: return pick("Sex", "ເພດ", "Giới tính")
        case .perpetratorRelationship:
            return pick("Relationship of the alleged perpetrator", "ຄວາມສຳພັນຂອງຜູ້ຖືກກ່າວຫາກັບຜູ້ຖືກເຄາະຮ້າຍ", "Quan hệ của người bị cáo buộc với nạn nhân")
        case .agency: return pick("Agency", "ໜ່ວຍງານ", "Cơ quan")
        case .recordType: return pick("Record type", "ປະເພດບັນທຶກ", "Loại hồ sơ")
        case nil: return code
        }
    }

    /// `2025-02`, `2025-Q1` or `2025` as the reader says it.
    public func periodName(_ period: String) -> String {
        guard language != "en" else { return period }
        if period.count == 4 { return pick(period, "ປີ \(period)", "Năm \(period)") }
        if let q = period.split(separator: "-").last, q.hasPrefix("Q") {
            let year = period.prefix(4)
            return pick(period, "ໄຕມາດ \(q.dropFirst()) ປີ \(year)", "Quý \(q.dropFirst()) năm \(year)")
        }
        return monthName(period)
    }

    /// `2025-02` as `02/2025` in Lao and Vietnamese (month first, as both write it).
    public func monthName(_ month: String) -> String {
        guard language != "en", month.count == 7 else { return month }
        let m = month.suffix(2), y = month.prefix(4)
        return pick(month, "ເດືອນ \(m)/\(y)", "tháng \(m)/\(y)")
    }

    /// The legend of hidden cells, from the counts (the daemon's reasons are English).
    public func legend(small: Int, complementary: Int, threshold k: Int) -> [String] {
        guard language != "en" else { return [] }
        var out = [String]()
        if small == 0 && complementary == 0 { out.append(pick("", "ບໍ່ມີຕາລາງໃດຖືກປິດບັງ.", "Không có ô nào bị ẩn.")) }
        if small > 0 {
            out.append(pick("", "\(small) ຕາລາງ ນັບໄດ້ໜ້ອຍກວ່າ \(k) ຄົນ ແລະ ສະແດງເປັນ <\(k).",
                            "\(small) ô có ít hơn \(k) người và được hiển thị là <\(k)."))
        }
        if complementary > 0 {
            out.append(pick("", "ອີກ \(complementary) ຕາລາງ ສະແດງເປັນ x ເພື່ອບໍ່ໃຫ້ຄຳນວນຫາຕາລາງ <\(k) ຈາກຍອດລວມ ຫຼື ຈາກຕາຕະລາງອື່ນຂອງປີນີ້ໄດ້.",
                            "Thêm \(complementary) ô được hiển thị là x để không thể suy ra ô <\(k) từ các tổng hoặc từ các bảng khác của năm."))
        }
        return out
    }

    /// How the counts were made and protected (IncidentRelease.method, in English).
    public func method(threshold k: Int) -> String? {
        switch language {
        case "lo":
            return "ນັບສະເພາະບັນທຶກທີ່ຜູ້ຖືກເຄາະຮ້າຍໄດ້ໃຫ້ຄວາມຍິນຍອມໃຫ້ນຳໃຊ້ໃນສະຖິຕິ, ແຕ່ລະບັນທຶກນັບພຽງເທື່ອດຽວ"
                + " (ບັນທຶກທີ່ໝາຍວ່າໄດ້ລາຍງານຕໍ່ໜ່ວຍບໍລິການອື່ນແລ້ວ ບໍ່ນັບຊ້ຳ). ຈຳນວນແຕ່ 1 ຫາ \(k - 1) ສະແດງເປັນ <\(k);"
                + " ຕາລາງອື່ນທີ່ອາດຊ່ວຍໃຫ້ຄຳນວນຫາຈຳນວນທີ່ປິດບັງໄວ້ໄດ້ ສະແດງເປັນ x. ຂໍ້ມູນທັງໝົດຂອງປີໜຶ່ງ ຄິດໄລ່ເທື່ອດຽວ"
                + " ຫຼັງຈາກສິ້ນປີ ແລະ ໄດ້ຮັບການປົກປ້ອງນຳກັນ."
        case "vi":
            return "Chỉ tính các hồ sơ mà nạn nhân đã đồng ý cho sử dụng vào thống kê, mỗi hồ sơ một lần (hồ sơ được đánh dấu"
                + " là đã trình báo với cơ quan khác không được tính lại). Các số từ 1 đến \(k - 1) được hiển thị là <\(k);"
                + " các ô khác có thể giúp suy ra số bị ẩn được hiển thị là x. Toàn bộ số liệu của một năm được tính một lần"
                + " sau khi năm kết thúc và được bảo vệ cùng nhau."
        default:
            return nil
        }
    }

    /// How many cells of 0 the table leaves out.
    public func zerosLeftOut(_ n: Int) -> String {
        pick("\(n) cells of 0 are not listed (--format csv lists every cell).",
             "\(n) ຕາລາງທີ່ເປັນ 0 ບໍ່ໄດ້ສະແດງ (--format csv ສະແດງທຸກຕາລາງ).",
             "\(n) ô có giá trị 0 không được liệt kê (--format csv liệt kê mọi ô).")
    }

    /// Beside a hidden total in the chart.
    public var hidden: String { pick("hidden", "ປິດບັງ", "ẩn") }

    /// Under the chart: the values it leaves out.
    public func zerosNotDrawn(_ n: Int) -> String {
        pick("\(n) values counted 0 are not drawn.", "\(n) ຄ່າທີ່ນັບໄດ້ 0 ບໍ່ໄດ້ສະແດງໃນແຜນພູມ.",
             "\(n) giá trị bằng 0 không được vẽ trên biểu đồ.")
    }

    /// A breakdown the year publishes only by quarter or year.
    public func publishedOnly(year: Substring, by: String) -> String {
        let coarse = by == "quarter" ? pick("quarter", "ໄຕມາດ", "quý") : pick("year", "ປີ", "năm")
        return pick("This breakdown is published for \(year) by \(by) only.",
                    "ການແຍກນີ້ ເຜີຍແຜ່ສຳລັບປີ \(year) ເປັນລາຍ\(coarse)ເທົ່ານັ້ນ.",
                    "Cách phân tổ này của năm \(year) chỉ được công bố theo \(coarse).")
    }
}
