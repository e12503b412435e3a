"""Language, script and token handling shared by indexing, retrieval and answering."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import opencc
import yaml

from assistant.errors import CorpusError, InvalidQuestion, chinese
from assistant.settings import corpus_folder

if TYPE_CHECKING:  # the domain types import modules that import this one
    from assistant.types import Language, Turn

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]+")
_TOKEN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+(?:[.,'&][a-z0-9]+)*")
_EN_SENT_RE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(A-Z0-9])")
_ZH_SENT_RE = re.compile(r"(?<=[。！？!?])(?![”’）)])")
# Abbreviations that end in a period but do not end a sentence ("Jan. 1, 2026").
_ABBREV = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Art|e\.g|i\.e|etc|Mr|Ms|Dr|St|vs)\.$")

# Function words plus the generic verbs, adverbs and meta-words of questions ("how much can I
# actually get?"): they carry no topic, so they neither search nor count towards coverage.
EN_STOPWORDS = frozenset(
    """a an the of to in on for and or but nor is are was were be been being am do does did done can
    could may might will would shall should must i me my mine we us our you your he him his she her it
    its they them their this that these those there here what which who whom whose when where why how
    much many long big large small as at by from with about into onto than then so if not no yes any
    some all every each also just only still such other more most less least over under up down out
    per via s t ll ve re d m isn aren don doesn didn won wouldn can't cannot i'm i've it's what's
    get gets got getting give gives given take takes took make makes made let lets go goes going come
    comes came want wants wanted wanting need needs needed like would hope hoping try tell told say
    says said know knows mean means stand put keep kept see look find found ask asked help think
    heard hear right correct true really actually exactly truly indeed basically roughly approximately
    about around almost nearly maybe perhaps please thanks thank ok okay hi hello hey dear sir madam
    someone somebody anyone anybody one ones thing things something anything stuff kind sort type
    way ways much lot lots whole total overall exact specific specifically max maximum min minimum
    cap limit upper lower highest largest biggest longest most best top first last now today currently
    already yet ever never always often again else too very quite rather pretty enough
    plan plans planned policy policies document say until since isn't
    phone mobile email e-mail id card number wechat contact name"""
    .split()
)
ZH_STOPWORDS = frozenset(
    """的 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 是 在 有 没 没有 和 与 及 或 或者 还是 我 你 您 他 她 它 我们
    你们 他们 自己 这 那 这个 那个 这些 那些 这份 那份 这里 那里 什么 甚么 啥 多少 多少钱 多久 多长
    多大 几 几个 几种 几年 哪 哪些 哪个 哪里 哪几 哪几个 怎么 怎样 怎么样 如何 为什么 为何 可以 可 能
    能否 能不能 会 会不会 要 想 想要 需要 请问 请 一下 个 对 给 把 被 让 从 到 于 以 为 之 其 中 上 下
    也 都 还 就 又 而 并 等 最 最高 最多 最多能 最长 最少 至少 上限 下限 额度 每 该 此 该计划 计划 行动
    行动计划 政策 文件 问 请教 是否 有没有 是不是 对吗 对不对 吗？ 多 少 钱 拿 领 能领 拿到 得到 获得 享受
    来 去 说 讲 听说 据说 告诉 知道 了解 具体 到底 实际 实际上 其实 大概 大约 大致 左右 一共 总共 加起来
    起来 分别 各 各自 各是 主要 手机 手机号 电话 邮箱 身份证 身份证号 银行卡 卡号 号码 微信 姓名 我叫 一般 现在 目前 已经 刚 刚刚 如果 的话 那么 那 呢？ 人 谁 时候 是从 之前
    之后 以后 后 前 里 内 外 一 一个 一家 一下 吧？ 嗯 好 谢谢 您好 你好 意思 指 指的是 算 属于 还有 另外""".split()
)


@lru_cache(maxsize=6)
def _opencc(config: str) -> Callable[[str], str]:
    convert: Callable[[str], str] = opencc.OpenCC(config).convert  # opencc ships no type stubs
    return convert


def to_simplified(text: str) -> str:
    return _opencc("t2s")(text)


def to_traditional(text: str) -> str:
    """OpenCC's character-level Traditional: for matching and detection, not for readers (it writes 爲/牀)."""
    return _opencc("s2t")(text)


# Forms readers in Taiwan and Hong Kong both write; OpenCC's Hong Kong table keeps the older 牀 (and 爲 in a few
# words), which neither region's school standard uses.
_STANDARD = str.maketrans({"爲": "為", "牀": "床", "僞": "偽", "衆": "眾", "敎": "教"})
# Characters and words only Hong Kong written Chinese or Cantonese uses: a question with one reads in the
# Hong Kong variant; every other Traditional question in Taiwan's.
_HK_MARKS = ("嘅", "咗", "喺", "係咪", "冇", "唔", "啲", "咁", "嚟", "佢", "睇", "乜", "邊個", "點樣", "幾多",
             "俾", "畀", "搵", "噉", "㗎", "囉", "咩", "香港", "港人", "港幣", "港元", "着", "綫", "裏", "衞")


def traditional_region(question: str) -> str:
    """'hk' when the question is written the Hong Kong way (Cantonese or HK-only forms), else 'tw'."""
    return "hk" if any(mark in question for mark in _HK_MARKS) else "tw"


def for_reader(text: str, region: str = "tw") -> str:
    """Simplified (or character-level Traditional) text in the Traditional a reader in ``region`` writes:
    Taiwan's standard forms by default (為, 床, 裡), Hong Kong's (裏, 着) for 'hk'; never 爲/牀."""
    config = "s2hk" if region == "hk" else "s2tw"
    return _opencc(config)(text).translate(_STANDARD)


def to_region(text: str, region: str) -> str:
    """Traditional text already in Taiwan's forms (what ``localise`` writes), re-rendered for ``region``."""
    return text if region != "hk" else for_reader(to_simplified(text), "hk")


def cjk_count(text: str) -> int:
    return len(_CJK_RE.findall(text))


def detect_language(text: str) -> Language:
    """'en', 'zh' or 'zh-Hant': the language and script the answer should be in.

    Mixed questions follow the dominant language: a Chinese character carries roughly
    two-thirds of an English word, so "How big is the 训练算力券?" is English and
    "OPC社区 area target是多少？" is Chinese.
    """
    cjk = cjk_count(text)
    if cjk == 0:
        return "en"
    words = len(_LATIN_WORD_RE.findall(text))
    if words > cjk / 1.5:
        return "en"
    # Traditional when converting to Simplified changes more characters than the reverse.
    changed_t2s = sum(a != b for a, b in zip(text, to_simplified(text)))
    changed_s2t = sum(a != b for a, b in zip(text, to_traditional(text)))
    return "zh-Hant" if changed_t2s > changed_s2t else "zh"


def base_lang(lang: str) -> str:
    """The corpus language that serves ``lang`` ('zh-Hant' reads the Chinese text)."""
    return "zh" if lang.startswith("zh") else "en"


def localise(text: str, lang: str) -> str:
    """Render Chinese text in the script of ``lang``."""
    return for_reader(text) if lang == "zh-Hant" else text


def split_sentences(text: str) -> list[str]:
    """Split a clause into sentences, keeping each sentence's own punctuation (whitespace runs made one space)."""
    return [" ".join(text[a:b].split()) for a, b in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of ``text`` starts and ends: the one sentence splitter (paragraphs at blank lines;
    Chinese after 。！？, English at a full stop, ! or ? before a capital or digit, not after "e.g." or "Jan.")."""
    out: list[tuple[int, int]] = []
    pos = 0
    for brk in [*re.finditer(r"\n\s*\n", text), None]:
        end = brk.start() if brk else len(text)
        para = text[pos:end]
        flat = " ".join(para.split())
        if cjk_count(flat) > len(flat) / 4:
            cuts = [(m.start(), m.end()) for m in _ZH_SENT_RE.finditer(para)]
        else:
            cuts = []
            start = 0
            for m in _EN_SENT_RE.finditer(para):
                if not _ABBREV.search(" ".join(para[start:m.start()].split())):
                    cuts.append((m.start(), m.end()))
                    start = m.end()
        start = 0
        for a, b in [*cuts, (len(para), len(para))]:
            piece = para[start:a]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append((pos + start + lead, pos + start + len(piece.rstrip())))
            start = b
        pos = brk.end() if brk else len(text)
    return out


_NO_STEM = frozenset("does has was is this its yes gas bus plus news less unless series".split())


def _stem(word: str) -> str:
    # Light English normalisation: plurals and possessives only, so figures and names survive.
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word in _NO_STEM:
        return word
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def glossary_words(folder: Path | None = None) -> tuple[str, ...]:
    """The benefit names jieba must keep whole ("算力券", "过渡性住房"): the Chinese terms of the corpus
    folder's glossary.yaml (``OPC_CORPUS_DIR``), listed under ``words`` on their entry."""
    path = (folder or corpus_folder()) / "glossary.yaml"
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.is_file() else []
    except (OSError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path}: cannot read the glossary ({exc})") from None
    if not isinstance(entries, list):
        raise CorpusError(f"{path}: the glossary must be a list of entries")
    return tuple(str(t) for e in entries if isinstance(e, dict)
                 for t in (e.get("words") or []))


class Span(Protocol):
    """Anything a matcher found in a text: where it starts and ends."""
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def without_spans(text: str, spans: Iterable[Span], sep: str = "") -> str:
    """``text`` with the spans cut out (in order; a span overlapping one already cut is skipped), each replaced by
    ``sep`` (a space keeps the words either side of a cut apart)."""
    out, last = [], 0
    for sp in spans:
        if sp.start >= last:
            out.append(text[last:sp.start])
            last = sp.end
    out.append(text[last:])
    return sep.join(out)


class _Segmenter(Protocol):
    """The two cuts of jieba used here (jieba ships no type stubs)."""

    def lcut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> list[str]: ...  # noqa: N803

    def lcut_for_search(self, sentence: str) -> list[str]: ...


@lru_cache(maxsize=1)
def _jieba() -> _Segmenter:
    # imported here: jieba takes about a second to import; loaded on first Chinese text
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for term in glossary_words():
        jieba.add_word(term)
    segmenter: _Segmenter = jieba
    return segmenter


@lru_cache(maxsize=100_000)  # a library's titles are cut again for every version of it
def segment(text: str) -> tuple[str, ...]:
    """Chinese text cut into words as written (jieba's accurate mode: every character once, in order)."""
    return tuple(_jieba().lcut(text))


@lru_cache(maxsize=4096)
def word_edges(text: str) -> frozenset[int]:
    """The offsets inside a Chinese run where a dictionary word of it ends (jieba's dictionary only, no guessed
    words): a correction whose span starts or ends elsewhere cuts a written word in two (人才|方面)."""
    edges, at = set(), 0
    for word in _jieba().lcut(text, HMM=False):
        at += len(word)
        edges.add(at)
    return frozenset(edges | {0})


def tokenize(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Tokens for keyword search: jieba words for Chinese, light-stemmed words for English.

    Traditional characters are folded to Simplified and digits lose their thousands
    separators, so "1,250" and "1250" match.
    """
    return list(_tokenize(text, drop_stopwords))


@lru_cache(maxsize=200_000)
def _tokenize(text: str, drop_stopwords: bool) -> tuple[str, ...]:
    # Cached: every index update re-tokenises the whole corpus (bm25 and sentence scoring), and jieba is slow.
    text = unicodedata.normalize("NFKC", to_simplified(text)).lower()
    tokens: list[str] = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group()
        if _CJK_RE.match(tok):
            words = _jieba().lcut_for_search(tok)
            tokens.extend(w for w in words if not (drop_stopwords and w in ZH_STOPWORDS))
        else:
            tok = re.sub(r"(?<=\d),(?=\d{3})", "", tok).strip(".,'")
            for part in re.split(r"[.,](?!\d)", tok):
                part = _stem(part)
                if part and not (drop_stopwords and part in EN_STOPWORDS):
                    tokens.append(part)
    return tuple(tokens)


def has_content(text: str) -> bool:
    """True when the text holds at least one letter, digit or CJK character (not only emoji/punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def validate_question(question: object, max_chars: int) -> str:
    """Return the cleaned question or raise InvalidQuestion with a message for the user, in the question's
    own language when it has one (``reader``) and in every language (``translations``)."""
    if isinstance(question, (bytes, bytearray)):
        raise InvalidQuestion("The question must be text, not binary data.",
                              translations=chinese("问题必须是文字，不能是二进制数据。"))
    if not isinstance(question, str):
        raise InvalidQuestion(f"The question must be text, not {type(question).__name__}.",
                              translations=chinese("问题必须是文字。"))
    cleaned = question.strip()
    if not cleaned:
        raise InvalidQuestion("The question is empty. Please type a question about the plan.",
                              translations=chinese("问题是空的，请输入关于政策的问题。"))
    # The language is read from the start only: an over-long question must not cost a full conversion.
    reader = detect_language(cleaned[:300])
    if len(cleaned) > max_chars:
        raise InvalidQuestion(
            f"The question is {len(cleaned):,} characters long; the limit is {max_chars:,}. Please shorten it.",
            translations=chinese(f"问题共 {len(cleaned):,} 个字符，上限为 {max_chars:,} 个，请缩短后再问。"),
            reader=reader)
    for ch in cleaned:
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\n\r\t") or cat == "Cs" or ch == "\ufffd" or cat == "Co":
            raise InvalidQuestion(
                "The question contains control characters or binary data "
                f"(U+{ord(ch):04X}); please send plain text.",
                translations=chinese(f"问题含有控制字符或二进制数据（U+{ord(ch):04X}），请只发送文字。"),
                reader=reader)
    return cleaned


def conversation_language(question: str, history: Sequence[Turn]) -> Language:
    """The language to answer in: the latest turn's. A Chinese turn written only in characters both scripts share
    (「咁博士呢？」) is in the script the founder last wrote in."""
    lang = detect_language(question)
    if lang != "zh" or to_traditional(question) != question:
        return lang
    for turn in reversed(history):
        earlier = detect_language(turn.question)
        if earlier == "en" or to_traditional(turn.question) != turn.question or earlier == "zh-Hant":
            return "zh-Hant" if earlier == "zh-Hant" else lang
    return lang
