"""The search forms of names as Sources/HavenSearch/NAMES.md and HavenCrypto FORMAT.md describe
them, with Python's unicodedata and nothing of Haven's Swift code: the second implementation
that scripts/format-vectors.py computes the `search_form` vectors with."""
import unicodedata

WHITE_SPACE = set(range(0x09, 0x0E)) | {0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000} | set(range(0x2000, 0x200B))
IGNORABLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD}
LAO_TONES = {0x0EC8, 0x0EC9, 0x0ECA, 0x0ECB}
LAO_VOWELS_ABOVE = {0x0EB1, 0x0EB4, 0x0EB5, 0x0EB6, 0x0EB7, 0x0EBB, 0x0ECD}
VIETNAMESE_TONES = {0x0300, 0x0301, 0x0303, 0x0309, 0x0323}


def name_words(text):
    """NFKC, lower case, NFD; cut at white space; invisible characters gone; Lao tone marks
    after the vowel above."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).lower())
    words, word = [], []
    for c in folded:
        if ord(c) in IGNORABLE:
            continue
        if ord(c) in WHITE_SPACE or unicodedata.category(c) == "Zs":
            if word:
                words.append(word)
            word = []
        else:
            word.append(c)
    if word:
        words.append(word)
    return [lao_ordered(w) for w in words]


def lao_ordered(word):
    w = list(word)
    for _ in range(len(w)):
        for i in range(len(w) - 1):
            if ord(w[i]) in LAO_TONES and ord(w[i + 1]) in LAO_VOWELS_ABOVE:
                w[i], w[i + 1] = w[i + 1], w[i]
    return w


def loose_word(word):
    return ["d" if c == "\u0111" else c for c in word if not 0x300 <= ord(c) <= 0x36F]


LAO_TITLES = sorted((sum(name_words(t), []) for t in ["ທ່ານນາງ", "ທ່ານ", "ນາງສາວ", "ນາງ", "ທ້າວ", "ນ.", "ທ.", "ດຣ.", "ປອ.", "ເອື້ອຍ",
                                                     "ອ້າຍ", "ນ້ອງ", "ແມ່ຕູ້", "ພໍ່ຕູ້", "ແມ່", "ພໍ່", "ສາມະເນນ"]), key=len, reverse=True)
VIETNAMESE_TITLES = {"ong", "ba", "anh", "chi", "em", "co", "bac", "di", "cau", "thim"}


def lao_syllable_start(c):
    v = ord(c)
    return 0x0E81 <= v <= 0x0EAE or 0x0EC0 <= v <= 0x0EC4 or 0x0EDC <= v <= 0x0EDF or not 0x0E80 <= v <= 0x0EFF


def without_titles(words):
    """A leading Vietnamese form of address followed by two words or more; a leading Lao
    title, spaced or not, followed by more of the name from a new syllable; again and again."""
    words = [list(w) for w in words]
    while words:
        first = words[0]
        if len(words) >= 3 and "".join(loose_word(first)) in VIETNAMESE_TITLES:
            words.pop(0)
            continue
        for t in LAO_TITLES:
            if first[:len(t)] != t:
                continue
            if len(first) > len(t) and lao_syllable_start(first[len(t)]):
                words[0] = first[len(t):]
                break
            if len(first) == len(t) and len(words) > 1:
                words.pop(0)
                break
        else:
            return words
    return words


def vietnamese_gathered(word):
    if not any(c.isalpha() and ord(c) < 0x250 for c in word):
        return word
    marks = sorted((c for c in word if ord(c) in VIETNAMESE_TONES), key=ord)
    return [c for c in word if ord(c) not in VIETNAMESE_TONES] + marks


def form(chars):
    return unicodedata.normalize("NFC", "".join(chars)) or None


def search_form(text):
    words = name_words(text)
    titled = without_titles(words)
    return {"text": text, "name": form(c for w in titled for c in lao_ordered(vietnamese_gathered(w))),
            "loose_name": form(c for w in titled for c in loose_word(w)),
            "loose_name_with_titles": form(c for w in words for c in loose_word(w))}
