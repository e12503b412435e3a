"""The words a follow-up is recognised by: openers that continue ("and…", 那, 咁), acknowledgements before them,
words pointing back at the last turn, and openers of another thing (另外, "one more thing") that start a topic of
their own unless what follows them is bare or points back."""

from __future__ import annotations

import re

MARKER = re.compile(
    r"^\s*(?:(?:and|also|what about|how about|what if|and if|or|but|then|so|instead|same for|for)\b"
    r"|那|那么|如果|还有|另外|再问|而|要是|换成|改成|咁|噉|仲有)",
    re.IGNORECASE,
)
# an acknowledgement before a follow-up's opener ("nice. and if …", "好的，那…"): the opener still starts the ask
ACK = re.compile(r"^\s*(?:(?:ok|okay|nice|great|cool|thanks|thank you|got it|i see|right|fine|sure|好的|好|明白了|明白|"
                  r"了解|谢谢|謝謝|多谢|多謝|唔该晒|唔該晒|唔该|唔該)(?:[\s,，.。!！]+|$))+", re.IGNORECASE)
ENDS_WITH_NE = re.compile(r"(?:呢|嘞|啦|先)[？?！!。.\s]*$")
ANAPHORA = re.compile(
    r"\b(it|that|this|they|them|those|these|one|(?<!is )(?<!are )there|both|either)\b|这笔|这个|那个|它|他们|这项|该项|这些|那些|这种|那种|还能"
    r"|這筆|這個|那個|這項|該項|還能"  # the same, in Traditional script (not 這些目標: it names what it points at)
    r"|呢個|嗰個|佢|两样|两个|两者|二者|两种|兩樣|兩個|兩者|兩種"
    r"|\bsame (?:deal|thing|here|again)\b|也一样|一样吗|一样吧|同样吗|也一樣|一樣嗎|同樣嗎|一樣咩|一样咩",  # "same deal?"
    re.IGNORECASE,
)
# A discourse opener a follow-up starts with ("and …", "那…", "咁…"): left out of the question it resolves to, so
# the resolved question reads as one ask ("and is that free?" -> "<benefit> is that free?").
# "by the way" (顺便问下, 順便問吓) too: "順便問吓，廣州南沙…" asks about 南沙, not "<benefit>順便問吓"
OPENER = re.compile(r"^\s*(?:(?:and|also|so|then|but|ok|okay|well|by the way|btw)\b[\s,，]*|(?:那么|那(?![个個些种種边邊里裡儿])|而|咁|噉"
                     r"|(?:顺便|順便)(?:问|問|讲|講)?(?:一下|一吓|一句|下|吓|问|問)?)[\s,，]*)+", re.IGNORECASE)
YES_NO = re.compile(r"(?:吗|嗎|么|麼|未|冇)\s*[？?！!。.]*\s*$|^\s*(?:(?:and|so|but|ok|okay|also|then)\W+)*"
                     r"(?:is|are|was|were|do|does|did|can|could|will|would|should|may|has|have)\b", re.IGNORECASE)
QUESTION = re.compile(r"[?？]|吗|嗎|呢|么|麼|咩|冇|未")
# Another thing opened ("另外我想跟大學的實驗室合作…", "one more thing: …"): a topic of its own, unless what follows
# is bare ("另外，硕士呢？") or points back ("另外那个智能券…"). 还有/仲有 stay continuing openers: "仲有，…仲啱唔啱用？".
ANOTHER_THING = re.compile(r"^\s*(?:另外|此外|另一个问题|另一個問題|另外一个问题|另外一個問題|one more thing|another question|"
                           r"separately|unrelated(?: question)?|on another note)[\s,，:：]*", re.IGNORECASE)
# Pointing at two things at once ("can these two stack?", 「兩樣可唔可以一齊攞？」): the follow-up is about the topic
# at hand and the one before it, both named in the resolved ask. Not a bare 两个 ("我们两个人"), which counts people.
BOTH = re.compile(r"\b(?:both|either of them|neither of them|the two of them|these two|those two|the two)\b"
                  r"|这两|這兩|那两|那兩|呢兩|嗰兩|两者|兩者|二者|两样|兩樣|两边|兩邊|两项|兩項|两个都|兩個都|两笔|兩筆",
                  re.IGNORECASE)
