import HavenCore

/// The policy's fixed words — field classes (note classes), consent flags and their states,
/// erasure reasons — in the person's language. They are codes of Haven itself, not of a
/// deployment's schema, so their words live in the desk's .po files.
public enum ClassWords {
    /// A note class (a field class) as a word.
    public static func noteClass(_ c: String, _ w: Words) -> String {
        switch c {
        case FieldClass.identity.rawValue: return w("Identity")
        case FieldClass.contact.rawValue: return w("Contact")
        case FieldClass.incident.rawValue: return w("Incident")
        case FieldClass.perpetrator.rawValue: return w("Alleged perpetrator")
        case FieldClass.health.rawValue: return w("Health")
        case FieldClass.counselling.rawValue: return w("Counselling")
        case FieldClass.legal.rawValue: return w("Legal")
        default: return c
        }
    }

    /// A consent flag as a word: what the survivor agrees to.
    public static func consentFlag(_ f: String, _ w: Words) -> String {
        switch f {
        case ConsentFlag.counselling.rawValue: return w("Counselling and case management")
        case ConsentFlag.health.rawValue: return w("Health care")
        case ConsentFlag.police.rawValue: return w("Police")
        case ConsentFlag.legal.rawValue: return w("Legal and court")
        case ConsentFlag.shelter.rawValue: return w("Shelter")
        case ConsentFlag.statistics.rawValue: return w("Anonymised statistics")
        default: return f
        }
    }

    /// A referral service of the shipped referrals.yaml as a word, or nil for a service a
    /// site adds (the caller then shows the policy's label for it). The record page and the
    /// referral pages both call this, so a service reads the same everywhere.
    public static func service(_ code: String, _ w: Words) -> String? {
        switch code {
        case "shelter": return w("Shelter")
        case "health": return w("Health care")
        case "police": return w("Police")
        case "legal": return w("Legal assistance")
        case "counselling": return w("Counselling")
        default: return nil
        }
    }

    /// A flag's state (`granted`, `withdrawn`, `expired`, `never`) as a word.
    public static func consentState(_ s: String, _ w: Words) -> String {
        switch s {
        case "granted": return w("Granted")
        case "withdrawn": return w("Withdrawn")
        case "expired": return w("Expired")
        case "never": return w("Never given")
        default: return s
        }
    }

    /// A consent event's kind (`grant`, `withdraw`) as a word.
    public static func consentChange(_ k: String, _ w: Words) -> String {
        switch k {
        case "grant", "granted": return w("Granted")
        case "withdraw", "withdrawn": return w("Withdrawn")
        default: return k
        }
    }

    /// An erasure reason of the shipped policy as a word; another code by the policy's own
    /// label (erasure.yaml gives English only).
    public static func erasureReason(_ code: String, policyLabel: String, _ w: Words) -> String {
        switch code {
        case "survivor_request": return w("The survivor asked for her record to be destroyed")
        case "retention_ended": return w("The retention period of the record ended")
        case "court_order": return w("A court ordered the record destroyed")
        case "entered_in_error": return w("The record was entered in error")
        default: return policyLabel
        }
    }
}
