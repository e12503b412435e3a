"""Personal data is replaced by placeholders; the plan's figures and ordinary numbers are not."""

from __future__ import annotations

import pytest

from assistant.understanding.redact import find_personal_data, redact

# Test values: 440305199003071236 and 11010519491231002X have valid check digits;
# 4111111111111111, 5555555555554444, 6222021234567890128, 6228480012345678903 pass Luhn.
ROWS = [
    # --- resident ID numbers ---
    ("id-zh", "我的身份证号是440305199003071236，请问能申请吗？", "我的身份证号是[ID]，请问能申请吗？"),
    ("id-en-X", "My ID number is 11010519491231002X.", "My ID number is [ID]."),
    ("id-lower-x", "ID: 11010519491231002x", "ID: [ID]"),
    ("id-fullwidth", "身份证１１０１０５１９４９１２３１００２Ｘ号", "身份证[ID]号"),
    ("id-spaced", "身份证 440305 19900307 1236 已上传", "身份证 [ID] 已上传"),
    ("id-legacy-15", "老身份证号110105491231002还能用吗", "老身份证号[ID]还能用吗"),
    # a wrong check digit is still somebody's (mistyped) ID number
    ("id-bad-check-digit", "身份证440305199003071235", "身份证[ID]"),
    ("id-bad-check-X", "ID 110105194912310021", "ID [ID]"),
    ("id-bad-check-with-X", "身份证号码44030519900307123X。", "身份证号码[ID]。"),
    ("id-legacy-15-en", "old ID 440305900307123 still valid?", "old ID [ID] still valid?"),
    ("id-hyphenated", "ID 440305-19900307-1235", "ID [ID]"),
    ("id-bad-month", "ID 440305199013321235", "ID 440305199013321235"),          # check digit ok, 13th month
    ("id-future-birth", "ID 440305209003071232", "ID 440305209003071232"),       # check digit ok, born 2090
    ("id-bad-region", "编号000305199003071234", "编号000305199003071234"),        # check digit ok, region 00
    ("id-legacy-bad-date", "旧证110105491331002", "旧证110105491331002"),
    # --- mobile numbers ---
    ("phone-zh", "我的手机号13812345678，方便联系", "我的手机号[PHONE]，方便联系"),
    ("phone-hyphens", "Call me on 138-1234-5678 please", "Call me on [PHONE] please"),
    ("phone-spaces", "Mobile: 138 1234 5678.", "Mobile: [PHONE]."),
    ("phone-plus86-spaced", "Reach me at +86 139 8765 4321", "Reach me at [PHONE]"),
    ("phone-plus86", "电话+8613987654321", "电话[PHONE]"),
    ("phone-0086", "0086-13987654321 is my number", "[PHONE] is my number"),
    ("phone-86", "手机 86 15012345678", "手机 [PHONE]"),
    ("phone-paren-fullwidth", "联系（+86）13987654321谢谢", "联系[PHONE]谢谢"),
    ("phone-fullwidth-digits", "手机：１３８１２３４５６７８", "手机：[PHONE]"),
    ("phone-two-adjacent", "13812345678/19912345678", "[PHONE]/[PHONE]"),
    ("phone-bad-prefix-12", "号码12812345678", "号码12812345678"),
    ("phone-12-digits", "编号138123456789", "编号138123456789"),
    ("phone-10-digits", "编号1381234567", "编号1381234567"),
    ("phone-dots", "手机139.1234.5678联系", "手机[PHONE]联系"),
    ("phone-paren-area", "Call (139)1234-5678 now", "Call [PHONE] now"),
    ("phone-paren-fullwidth-area", "电话（139）1234-5678", "电话[PHONE]"),
    ("phone-plus86-spaces", "WeChat/phone +86 139 1234 5678.", "WeChat/phone [PHONE]."),
    ("phone-plus86-hyphens", "+86-139-1234-5678", "[PHONE]"),
    ("phone-plus86-paren-area", "+86 (139) 1234 5678", "[PHONE]"),
    ("phone-dashes", "139-1234-5678", "[PHONE]"),
    ("phone-mixed-seps", "139 1234-5678", "[PHONE]"),
    ("phone-dots-en", "my number: 139.1234.5678.", "my number: [PHONE]."),
    ("phone-decimal-not", "增长139.12345678倍", "增长139.12345678倍"),
    # --- emails ---
    ("email-idn-zh", "邮箱：用户@例子.中国，谢谢", "邮箱：[EMAIL]，谢谢"),
    ("email-idn-de", "write to name@bücher.de today", "write to [EMAIL] today"),
    ("email-idn-local", "Mail müller@bücher.de.", "Mail [EMAIL]."),
    ("email-idn-hant", "電郵 客服@公司.香港 聯絡", "電郵 [EMAIL] 聯絡"),
    ("email-punycode", "a@xn--fsqu00a.xn--fiqs8s ok", "[EMAIL] ok"),
    ("email-cn-tld-before-zh", "发到zhang@example.cn的邮箱", "发到[EMAIL]的邮箱"),
    ("email-zh", "邮箱zhang.san@example.com，谢谢", "邮箱[EMAIL]，谢谢"),
    ("email-en", "Write to li_si+opc@mail.szu.edu.cn.", "Write to [EMAIL]."),
    ("email-phone-local-part", "我的邮箱13812345678@163.com", "我的邮箱[EMAIL]"),
    ("email-fullwidth-at", "邮箱wang＠qq.com", "邮箱[EMAIL]"),
    ("email-no-tld", "user@localhost is not an address", "user@localhost is not an address"),
    ("email-no-local", "@example.com alone", "@example.com alone"),
    # --- bank cards ---
    ("card-zh-19", "卡号6222021234567890128，工资卡", "卡号[CARD]，工资卡"),
    ("card-en-spaces", "card 4111 1111 1111 1111 thanks", "card [CARD] thanks"),
    ("card-hyphens", "Card: 5555-5555-5555-4444", "Card: [CARD]"),
    ("card-19-grouped", "银行卡 6228 4800 1234 5678 903", "银行卡 [CARD]"),
    ("card-fullwidth", "卡号４１１１１１１１１１１１１１１１", "卡号[CARD]"),
    ("card-luhn-invalid", "card 4111 1111 1111 1112", "card 4111 1111 1111 1112"),
    ("card-luhn-invalid-19", "卡号6222021234567890127", "卡号6222021234567890127"),
    ("card-order-number", "订单号1234567890123456", "订单号1234567890123456"),
    # --- several items ---
    ("mixed-zh",
     "我叫张三，手机138-1234-5678，邮箱zhangsan@qq.com，身份证440305199003071236，想申请10万元补贴",
     "我叫张三，手机[PHONE]，邮箱[EMAIL]，身份证[ID]，想申请10万元补贴"),
    ("mixed-en",
     "ID 11010519491231002X, card 6222021234567890128: is the 1,250 yuan subsidy paid from 2026年1月1日?",
     "ID [ID], card [CARD]: is the 1,250 yuan subsidy paid from 2026年1月1日?"),
    ("mixed-all-four",
     "My phone is 138-1234-5678 and email zhang.san@example.com, ID 11010519491231002X, "
     "card 4111 1111 1111 1111. How much is the monthly housing subsidy?",
     "My phone is [PHONE] and email [EMAIL], ID [ID], card [CARD]. How much is the monthly housing subsidy?"),
    # --- the plan's figures and ordinary numbers: unchanged ---
    ("noise-yuan", "1,250 yuan per month before tax", None),
    ("noise-wan", "最高奖励10万元", None),
    ("noise-area", "500,000 square meters of space", None),
    ("noise-date-zh", "自2026年1月1日起施行", None),
    ("noise-months", "最长36个月", None),
    ("noise-plain", "up to 100000 yuan", None),
    ("noise-commas", "a 10,000,000 yuan fund", None),
    ("noise-years", "from 2026 to 2027", None),
    ("noise-clause", "clause (4) of Article 3", None),
    ("noise-clause-zh", "第（4）条 第十二条", None),
    ("noise-fullwidth", "１０万元，２０２６年，３６个月", None),
    ("noise-iso-dates", "2026-01-01 to 2027-12-31", None),
    ("noise-range", "The plan runs 2026–2027; 1,000 yuan after tax.", None),
    ("noise-placeholders", "[ID] [PHONE] [EMAIL] [CARD]", None),
    ("noise-yuan-zh", "每月补贴1250元", None),
    ("noise-year-zh", "2026年起实施，至2027年12月31日", None),
    ("noise-yuan-commas", "up to 100,000 yuan", None),
    ("noise-sqm", "面积10000平方米以上", None),
    ("noise-dotted-date", "2026.01.15发布", None),
    ("noise-slashed-date", "15/01/2026 and 2026/01/15", None),
    ("noise-big-figure", "总规模13912345678元的基金", None),  # an amount, though shaped like a mobile number
    ("noise-decimal", "增长13.5%，达到139.5亿元", None),
    ("noise-doc-number", "深府办规〔2026〕3号", None),
    ("noise-phone-landline", "咨询电话0755-88123456", None),
    ("noise-postcode", "邮编518000", None),
]


@pytest.mark.parametrize(("text", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_redact(text, expected):
    assert redact(text) == (text if expected is None else expected)


@pytest.mark.parametrize("text", [r[1] for r in ROWS if r[2] is None or r[2] == r[1]],
                         ids=[r[0] for r in ROWS if r[2] is None or r[2] == r[1]])
def test_nothing_found_in_noise(text):
    assert find_personal_data(text) == []


def test_spans_are_ordered_and_index_the_original_text():
    text = "卡４１１１１１１１１１１１１１１１，手机138 1234 5678，a@b.cn，ID 11010519491231002X"
    found = find_personal_data(text)
    assert [k for k, _, _ in found] == ["card", "phone", "email", "id"]
    assert [text[s:e] for _, s, e in found] == [
        "４１１１１１１１１１１１１１１１", "138 1234 5678", "a@b.cn", "11010519491231002X"]


def test_email_containing_a_phone_is_one_item():
    assert find_personal_data("13812345678@163.com") == [("email", 0, 19)]


def test_redaction_is_idempotent():
    text = next(r[1] for r in ROWS if r[0] == "mixed-zh")
    once = redact(text)
    assert once != text and redact(once) == once
