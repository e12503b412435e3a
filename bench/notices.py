"""A seeded generator of realistic policy notices for a city's library, written for this project.

Chinese notices in the GB/T 9704 shape (title, document number, addressee, wrapper, numbered articles, closing
article with dates, issuer and signing date) and English ones as a city's English site publishes them. Many
issuers: Shenzhen municipal bureaus, its districts, and other cities; topics talent, housing, R&D, loans and
workspace. One notice in ten is on the plan's own topics (housing subsidy, hukou/settlement subsidy, compute
vouchers, free workspace) with figures that differ from the plan's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLACES = [  # (Chinese name, English name, level)
    ("深圳市", "Shenzhen", "municipal"), ("南山区", "Nanshan District", "district"),
    ("福田区", "Futian District", "district"), ("宝安区", "Bao'an District", "district"),
    ("龙岗区", "Longgang District", "district"), ("龙华区", "Longhua District", "district"),
    ("光明区", "Guangming District", "district"), ("坪山区", "Pingshan District", "district"),
    ("星澜市", "Xinglan City", "municipal"), ("东滨区", "Dongbin District", "district"),
]
BUREAUS = [  # (Chinese suffix, English name, short code)
    ("人力资源局", "Human Resources Bureau", "人"), ("住房和建设局", "Housing and Construction Bureau", "建"),
    ("科技创新局", "Science and Technology Innovation Bureau", "科"), ("工业和信息化局", "Industry and Information Technology Bureau", "工"),
    ("发展和改革委员会", "Development and Reform Commission", "发改"), ("地方金融管理局", "Local Financial Administration", "金"),
]
TOPICS = {
    "talent": ("人才引进", "talent attraction", [
        ("对新引进的全职博士给予一次性生活补贴{a}万元。", "Newly recruited full-time PhD holders receive a one-off living subsidy of {a}0,000 yuan."),
        ("对入选高层次人才的，给予最高{b}万元奖励补贴，分{n}年发放。", "High-level talents receive a reward of up to {b}0,000 yuan, paid over {n} years."),
    ]),
    "housing": ("人才住房", "talent housing", [
        ("符合条件的青年人才可申请租房补贴，每月{m}元，最长{k}个月。", "Eligible young talents may apply for a rent subsidy of {m} yuan per month for up to {k} months."),
        ("人才公寓租金按市场参考租金的{p}%收取，租期最长{n}年。", "Talent apartments are let at {p}% of the market reference rent for up to {n} years."),
    ]),
    "rd": ("研发投入", "R&D investment", [
        ("对企业年度研发投入给予{p}%的补助，每家最高{b}万元。", "Companies receive {p}% of their annual R&D spending, up to {b}0,000 yuan each."),
        ("对新认定的工程技术研究中心给予一次性奖励{a}万元。", "Newly recognised engineering research centres receive a one-off award of {a}0,000 yuan."),
    ]),
    "loans": ("融资贷款", "loans and financing", [
        ("对企业银行贷款给予贴息，贴息比例为实际利息的{p}%，每年最高{a}万元。", "Bank loan interest is subsidised at {p}% of the interest paid, up to {a}0,000 yuan a year."),
        ("对创业担保贷款，个人最高可贷{a}万元，期限{n}年。", "Start-up guaranteed loans of up to {a}0,000 yuan per person are available for {n} years."),
    ]),
    "workspace": ("办公场地", "workspace", [
        ("对入驻孵化载体的初创企业，按实际租金的{p}%给予补贴，每年最高{a}万元。", "Start-ups in incubators receive {p}% of their actual rent, up to {a}0,000 yuan a year."),
        ("提供面积不超过{s}平方米的免租办公场地，免租期最长{n}年。", "Rent-free offices of up to {s} square metres are provided for up to {n} years."),
    ]),
}
# The plan's own topics, with other figures than the plan states.
NEAR = [
    ("住房补贴", "housing subsidy", "对来本区创业的青年人才发放住房补贴，每月{m}元，最长{k}个月。",
     "Young entrepreneurs coming to the district receive a housing subsidy of {m} yuan per month for up to {k} months."),
    ("落户补贴", "settlement subsidy", "对新落户的博士研究生给予一次性落户补贴{a}万元。",
     "Newly settled PhD graduates receive a one-off settlement subsidy of {a}0,000 yuan."),
    ("算力券", "compute vouchers", "向人工智能企业发放算力券，每家每年最高{b}万元。",
     "AI companies receive compute vouchers of up to {b}0,000 yuan per company a year."),
    ("免费办公空间", "free workspace", "为人工智能一人公司提供免费办公工位，免费期限最长{n}年。",
     "AI one-person companies receive free workstations for up to {n} years."),
]


@dataclass
class Notice:
    filename: str
    text: str
    lang: str
    issuer: str
    place: str
    topic: str
    near: bool


def _figures(rng: random.Random) -> dict:
    return {"a": rng.choice([3, 5, 8, 10, 15, 20, 30]), "b": rng.choice([40, 60, 80, 120, 150, 200]),
            "n": rng.choice([2, 3, 5]), "m": rng.choice([800, 1500, 1800, 2000, 2500, 3000]),
            "k": rng.choice([12, 18, 30, 48]), "p": rng.choice([20, 30, 40, 50, 70]), "s": rng.choice([20, 50, 80, 100])}


def notice(i: int, seed: int = 16) -> Notice:
    rng = random.Random(seed * 1_000_003 + i)
    place, place_en, _ = rng.choice(PLACES)
    bureau, bureau_en, code = rng.choice(BUREAUS)
    issuer, issuer_en = place + bureau, f"{place_en} {bureau_en}"
    near = i % 10 == 9
    topic = rng.choice(sorted(TOPICS))
    name, name_en, lines = TOPICS[topic]
    f = _figures(rng)
    year = rng.choice([2025, 2026])
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if near:
        nz, ne, lz, le = rng.choice(NEAR)
        name, name_en, body = nz, ne, [(lz, le)]
    else:
        body = rng.sample(lines, 2)
    kind = rng.choice([("实施办法", "Implementing Measures"), ("申报指南", "Application Guide"), ("若干措施", "Measures")])
    title = f"{place}{name}支持{kind[0]}（第{i}号）"
    title_en = f"{place_en} {kind[1]} on {name_en.title()} (No. {i})"
    lang = "en" if rng.random() < 0.25 else "zh"
    valid = rng.choice([2, 3, 5])
    if lang == "zh":
        arts = [f"为支持人工智能企业在{place}发展，做好{name}工作，制定本{kind[0][-2:]}。",
                f"本{kind[0][-2:]}适用于在{place}注册的企业及其人才。",
                *[z.format(**f) for z, _ in body],
                f"申请人应通过{issuer}网上办事平台提交申请材料，经审核后按程序拨付资金。",
                f"本{kind[0][-2:]}由{issuer}负责解释。",
                f"本{kind[0][-2:]}自{year}年{month}月{day}日起施行，有效期{valid}年。"]
        nums = "一二三四五六七八九十"
        articles = "\n".join(f"第{nums[n]}条 {a}" for n, a in enumerate(arts))
        text = (f"{title}\n{place[:1]}{code}规〔{year}〕{i % 97 + 1}号\n各有关单位：\n"
                f"现将《{title}》印发给你们，请认真贯彻执行。\n{articles}\n{issuer}\n{year}年{month}月{day}日\n")
    else:
        arts = [f"These measures support AI companies in {place_en} in {name_en}.",
                f"They apply to companies registered in {place_en} and their employees.",
                *[e.format(**f) for _, e in body],
                f"Applications are submitted through the online service platform of the {issuer_en}.",
                f"The {issuer_en} is responsible for interpreting these measures.",
                f"These measures take effect on {year}-{month:02d}-{day:02d} and are valid for {valid} years."]
        articles = "\n".join(f"Article {n + 1} {a}" for n, a in enumerate(arts))
        text = f"{title_en}\nIssued by: {issuer_en}\n\n{articles}\n"
    return Notice(f"notice-{i:05d}.txt", text, lang, issuer if lang == "zh" else issuer_en, place, topic, near)


def library(n: int, seed: int = 16) -> list[Notice]:
    return [notice(i, seed) for i in range(n)]
