/// The fixed words of a rendering, in English, Lao and Vietnamese.
struct ExtractWords {
    let language: String

    private func pick(_ en: String, _ lo: String, _ vi: String) -> String {
        language == "lo" ? lo : language == "vi" ? vi : en
    }

    var title: String { pick("Certified extract of a case record", "ສຳເນົາຢັ້ງຢືນຂອງບັນທຶກກໍລະນີ", "Trích lục có chứng thực của hồ sơ vụ việc") }
    var notVerified: String { pick("NOT VERIFIED", "ຍັງບໍ່ໄດ້ກວດສອບ", "CHƯA ĐƯỢC KIỂM TRA") }
    var notVerifiedLine: String {
        pick("NOT VERIFIED: the signature was not checked. Run: haven extract verify FILE --vault-key vault.pub",
             "ຍັງບໍ່ໄດ້ກວດສອບ: ລາຍເຊັນຍັງບໍ່ໄດ້ຖືກກວດສອບ. ໃຫ້ແລ່ນ: haven extract verify FILE --vault-key vault.pub",
             "CHƯA ĐƯỢC KIỂM TRA: chữ ký chưa được kiểm tra. Hãy chạy: haven extract verify FILE --vault-key vault.pub")
    }
    var notChecked: String { pick("the signature was not checked.", "ລາຍເຊັນຍັງບໍ່ໄດ້ຖືກກວດສອບ.", "chữ ký chưa được kiểm tra.") }
    func verifiedWith(_ key: String) -> String {
        pick("Signature verified with the vault key \(key).", "ລາຍເຊັນໄດ້ຮັບການກວດສອບດ້ວຍກະແຈຂອງຄັງຂໍ້ມູນ \(key) ແລ້ວ.",
             "Chữ ký đã được kiểm tra bằng khóa của kho dữ liệu \(key).")
    }
    /// The footer around the verify command.
    var footer: (String, String) {
        (pick("This page is a rendering. The signed file is the evidence: check it with",
              "ໜ້ານີ້ເປັນພຽງການສະແດງຜົນ. ໄຟລ໌ທີ່ລົງລາຍເຊັນແມ່ນຫຼັກຖານ: ໃຫ້ກວດສອບດ້ວຍ",
              "Trang này chỉ là bản hiển thị. Tệp có chữ ký mới là chứng cứ: hãy kiểm tra bằng"),
         pick("and compare the verification code.", "ແລະ ປຽບທຽບລະຫັດກວດສອບ.", "và đối chiếu mã kiểm tra."))
    }
    var verificationCode: String { pick("Verification code", "ລະຫັດກວດສອບ", "Mã kiểm tra") }
    var record: String { pick("Record", "ບັນທຶກ", "Hồ sơ") }
    var issued: String { pick("Issued", "ອອກໃຫ້ວັນທີ", "Ngày cấp") }
    var caseNumber: String { pick("Case number", "ເລກລະຫັດກໍລະນີ", "Số hồ sơ") }
    var issuedTo: String { pick("Issued to", "ອອກໃຫ້ແກ່", "Cấp cho") }
    var purpose: String { pick("Purpose", "ຈຸດປະສົງ", "Mục đích") }
    var legalBasis: String { pick("Legal basis", "ພື້ນຖານທາງກົດໝາຍ", "Căn cứ pháp lý") }
    var signedBy: String { pick("Signed by", "ລົງລາຍເຊັນໂດຍ", "Ký bởi") }
    var auditLog: String { pick("Audit log", "ບັນທຶກການກວດສອບ", "Nhật ký kiểm toán") }
    var policy: String { pick("Policy", "ນະໂຍບາຍ", "Chính sách") }
    var released: String { pick("Released fields", "ຂໍ້ມູນທີ່ເປີດເຜີຍ", "Các trường được cung cấp") }
    var withheld: String { pick("Withheld fields", "ຂໍ້ມູນທີ່ບໍ່ເປີດເຜີຍ", "Các trường không được cung cấp") }
    var none: String { pick("(none)", "(ບໍ່ມີ)", "(không có)") }
    var verifyWith: String { pick("Verify with", "ກວດສອບດ້ວຍ", "Kiểm tra bằng lệnh") }

    func recordFacts(_ p: ExtractPayload) -> String {
        pick("\(p.recordID) (\(p.recordType), version \(p.recordVersion), agency \(p.agency))",
             "\(p.recordID) (\(p.recordType), ສະບັບທີ \(p.recordVersion), ໜ່ວຍງານ \(p.agency))",
             "\(p.recordID) (\(p.recordType), phiên bản \(p.recordVersion), cơ quan \(p.agency))")
    }

    func requester(_ r: ExtractPayload.Requester) -> String {
        pick("\(r.user) (role \(r.role), agency \(r.agency))", "\(r.user) (ບົດບາດ \(r.role), ໜ່ວຍງານ \(r.agency))",
             "\(r.user) (vai trò \(r.role), cơ quan \(r.agency))")
    }

    func signer(vault: String, key: String) -> String {
        pick("vault \(vault), key \(key)", "ຄັງຂໍ້ມູນ \(vault), ກະແຈ \(key)", "kho dữ liệu \(vault), khóa \(key)")
    }

    func audit(seq: UInt64, size: UInt64, time: String) -> String {
        pick("entry \(seq), in the log of \(size) entries signed \(time)",
             "ລາຍການທີ \(seq), ໃນບັນທຶກ \(size) ລາຍການ ທີ່ລົງລາຍເຊັນເວລາ \(time)",
             "mục \(seq), trong nhật ký gồm \(size) mục được ký lúc \(time)")
    }

    func basis(_ b: ExtractPayload.LegalBasis) -> String {
        guard language != "en" else { return ExtractRenderer.basis(b) }
        switch b {
        case .courtOrder(let reference):
            return pick("", "ຄຳສັ່ງສານ \(reference)", "quyết định của Tòa án \(reference)")
        case .consent(let flag, let by, let at, let evidence, let expires):
            var s = pick("", "ຄວາມຍິນຍອມຂອງຜູ້ຖືກເຄາະຮ້າຍ (\(flag)) ບັນທຶກໂດຍ \(by) ເວລາ \(at)",
                         "sự đồng ý của nạn nhân (\(flag)) do \(by) ghi nhận lúc \(at)")
            if let evidence { s += pick("", "; ຫຼັກຖານ: \(evidence)", "; chứng cứ: \(evidence)") }
            if let expires { s += pick("", "; ມີຜົນຮອດ \(expires)", "; có hiệu lực đến \(expires)") }
            return s
        }
    }
}
