"""Texts of the government documents of a fictional city, 星澜市 (Xinglan City), and its districts 东滨区
and 北岭区, written for the tests and the documents evaluation. Their figures differ from the built-in
plan's so that answers can only come from them. ``harness/govdocs.py`` lays them out as published.

Each document: issuer, document number, notice wrapper, articles (str lines, or ("table", header, rows)
for a table; None in a cell is a merged cell), signing date.
"""

from __future__ import annotations

DONGBIN = {
    "issuer": "星澜市东滨区科技创新局",
    "number": "星东科〔2026〕3号",
    "title": "星澜市东滨区支持人工智能一人公司发展若干措施",
    "addressee": "区各有关单位：",
    "wrapper": "现将《星澜市东滨区支持人工智能一人公司发展若干措施》印发给你们，请认真贯彻执行。",
    "signed": "2026年2月10日",
    "articles": [
        "第一条 为支持人工智能一人公司（OPC）在东滨区集聚发展，根据《星澜市人工智能一人公司创业生态行动方案（2026—2027年）》，制定本措施。",
        "第二条 本措施适用于在东滨区注册、从事人工智能研发和应用的一人公司及其核心成员。",
        "第三条 办公租金补贴。对入驻区内OPC社区的一人公司，按实际租金的50%给予补贴，每年最高8万元，补贴期限最长2年。",
        "第四条 算力补贴。对租用算力开展模型训练的一人公司，按实际费用的40%给予补贴，每家每年最高30万元。",
        "第五条 融资支持。对一人公司按下表给予融资支持：",
        ("table", ["项目", "标准", "上限"], [["首贷贴息", "贷款利息的60%", "每年15万元"],
                                       ["担保费补贴", "担保费的50%", "每年2万元"],
                                       ["股权融资奖励", "融资额的5%", "50万元"]]),
        "第六条 人才住房。一人公司核心成员可申请区人才住房，租金为市场价的60%，最长租住3年。",
        "第七条 本措施由东滨区科技创新局负责解释。",
        "第八条 本措施自2026年3月1日起施行，有效期2年。",
    ],
}

DONGBIN_EN = {
    "title": "Measures of Dongbin District, Xinglan City, to Support AI One-Person Companies",
    "issuer": "Dongbin District Science and Technology Innovation Bureau",
    "articles": [
        "Article 1 These measures are formulated to support AI one-person companies (OPCs) in clustering in "
        "Dongbin District, in line with the Xinglan City action plan.",
        "Article 2 These measures apply to AI one-person companies registered in Dongbin District and their core members.",
        "Article 3 Office rent subsidy. One-person companies settling in an OPC community of the district receive "
        "50% of the actual rent, up to 80,000 yuan per year, for up to 2 years.",
        "Article 4 Computing power subsidy. One-person companies renting computing power for model training "
        "receive 40% of the actual cost, up to 300,000 yuan per company per year.",
        "Article 5 Financing support. One-person companies receive financing support as follows:",
        ("table", ["Item", "Standard", "Cap"], [["First-loan interest subsidy", "60% of loan interest", "150,000 yuan per year"],
                                               ["Guarantee fee subsidy", "50% of the guarantee fee", "20,000 yuan per year"],
                                               ["Equity financing reward", "5% of the amount raised", "500,000 yuan"]]),
        "Article 6 Talent housing. Core members may apply for district talent housing at 60% of the market rent, "
        "for up to 3 years.",
        "Article 7 The Dongbin District Science and Technology Innovation Bureau interprets these measures.",
        "Article 8 These measures take effect on March 1, 2026 and are valid for two years.",
    ],
}

CITY_PLAN = {
    "issuer": "星澜市人民政府办公厅",
    "number": "星府办〔2026〕5号",
    "title": "星澜市人工智能一人公司创业生态行动方案（2026—2027年）",
    "addressee": "各区人民政府，市政府直属各单位：",
    "wrapper": "《星澜市人工智能一人公司创业生态行动方案（2026—2027年）》已经市政府同意，现印发给你们，请认真组织实施。",
    "signed": "2026年1月15日",
    "articles": [
        "一、总体目标",
        "到2027年底，全市建成OPC社区15个以上，集聚人工智能一人公司3000家以上。",
        "二、主要措施",
        "（一）办公租金补贴。对入驻市级OPC社区的一人公司，给予每年最高10万元的办公租金补贴。",
        "（二）算力券。向一人公司发放算力券，每家每年最高20万元。",
        "（三）创业大赛奖励。对市级人工智能创业大赛获奖的一人公司，给予最高100万元奖励。",
        "（四）落户生活补贴。一人公司核心成员新落户本市的，给予一次性生活补贴2万元。",
        "三、保障措施",
        "（一）市工业和信息化局牵头统筹本方案的实施。",
        "（二）本方案自印发之日起施行，有效期至2027年12月31日。",
    ],
}

BEILING_OLD = {
    "issuer": "星澜市北岭区工业和信息化局",
    "number": "北工信〔2023〕7号",
    "title": "北岭区人工智能初创企业扶持办法",
    "addressee": "各街道办事处，区直各单位：",
    "wrapper": "现将《北岭区人工智能初创企业扶持办法》印发给你们，请遵照执行。",
    "signed": "2023年3月20日",
    "articles": [
        "第一条 为扶持人工智能初创企业在北岭区发展，制定本办法。",
        "第二条 场地补贴。对租用区内孵化载体的初创企业，按每月每平方米30元给予场地补贴，最长12个月。",
        "第三条 研发投入奖励。对年度研发投入超过100万元的初创企业，按研发投入的10%给予奖励，最高50万元。",
        "第四条 人才奖励。初创企业引进的博士给予一次性奖励5万元。",
        "第五条 本办法自2023年4月1日起施行，有效期2年。",
    ],
}

COMPUTE_RULES = {
    "issuer": "星澜市工业和信息化局",
    "number": "星工信规〔2026〕2号",
    "title": "星澜市人工智能算力券管理办法",
    "addressee": "各区工业和信息化主管部门，各有关单位：",
    "wrapper": "现将《星澜市人工智能算力券管理办法》印发给你们，请认真贯彻执行。",
    "signed": "2026年3月20日",
    "cc": "抄送：市发展改革委，市财政局，市科技创新局。",
    "printed": "星澜市工业和信息化局办公室 2026年3月20日印发",
    "articles": [
        "第一条 为降低人工智能一人公司和中小企业的算力使用成本，规范算力券的申领、使用和兑付，根据"
        "《星澜市人工智能一人公司创业生态行动方案（2026—2027年）》，制定本办法。本办法所称算力券，是指市"
        "财政资金支持、由企业向入库算力服务商购买算力服务时抵扣费用的电子凭证。",
        "第二条 算力券的申领对象为在本市注册、具有独立法人资格、从事人工智能研发或应用的企业，"
        "其中人工智能一人公司优先支持。申领企业应当信用良好，近三年未发生重大安全生产事故，"
        "未被列入严重失信主体名单。同一企业同一年度只能申领一类算力券，不得拆分申领。"
        "申领企业应当承诺所购算力用于本企业的研发或应用，不得转售、转租或者以其他方式转让给第三方。",
        "第三条 算力券按下表分类发放：",
        ("table", ["算力券类别", "适用对象", "额度"], [["通用算力券", "一人公司", "每年最高20万元"],
                                               ["训练算力券", "大模型训练企业", "每年最高100万元"],
                                               ["推理算力券", "应用开发企业", "每年最高10万元"]]),
        "第四条 算力券抵扣比例为算力服务合同金额的50%，企业自付部分不得由服务商返还或者变相减免。"
        "服务商应当按照市场公允价格提供服务，不得因企业使用算力券而提高报价。",
        "第五条 算力券自发放之日起12个月内有效，逾期未使用的部分自动作废，不得延期。",
        "第六条 算力服务商每季度向市工业和信息化局申请兑付，兑付材料包括服务合同、发票和算力使用记录。"
        "市工业和信息化局自受理之日起20个工作日内完成审核，审核通过的按程序拨付资金。",
        "第七条 企业或者服务商以虚假材料骗取算力券的，收回已兑付资金，三年内不得申领或者参与兑付。",
        "第八条 本办法由市工业和信息化局负责解释。",
        "第九条 本办法自2026年4月1日起施行，有效期3年。",
    ],
}

BEILING_FINANCE = {
    "issuer": "星澜市北岭区金融工作局",
    "number": "北金〔2026〕4号",
    "title": "北岭区一人公司融资支持实施细则",
    "addressee": "各有关单位：",
    "wrapper": "现将《北岭区一人公司融资支持实施细则》印发给你们，请认真贯彻执行。",
    "signed": "2026年5月8日",
    "cc": "抄送：区财政局，区科技创新局。",
    "printed": "北岭区金融工作局办公室 2026年5月8日印发",
    "articles": [
        "第一条 为缓解一人公司融资难题，鼓励金融机构加大对人工智能一人公司的信贷和股权支持，制定本细则。"
        "本细则所称一人公司，是指在北岭区注册、由一名自然人股东设立并从事人工智能相关业务的有限责任公司。",
        "第二条 一人公司申请融资支持，应当在北岭区依法纳税，财务制度健全，且申请当年未获得同类市级资金支持。"
        "同一笔贷款或者同一轮投资只能申请一项支持，不得重复申请。",
        "第三条 融资支持标准如下表：",
        ("table", ["支持类型", "项目", "标准", "上限"], [["贷款支持", "首贷贴息", "贷款利息的50%", "每年10万元"],
                                                   [None, "续贷贴息", "贷款利息的30%", "每年5万元"],
                                                   ["股权支持", "天使投资奖励", "投资额的8%", "30万元"]]),
        "第四条 贴息资金按年度拨付，企业应当于每年3月底前提交上一年度的贷款合同和付息凭证。",
        "第五条 本细则自2026年9月1日起施行，有效期3年。",
    ],
}

GUIDE = {
    "title": "东滨区2026年首贷贴息项目申报指南",
    "sections": [
        "一、申报条件",
        "在东滨区注册的人工智能一人公司，2025年1月1日以后首次获得银行贷款，且贷款用于本企业经营。",
        "二、支持标准",
        ("table", ["项目", "标准", "上限"], [["首贷贴息", "贷款利息的60%", "每年15万元"],
                                       ["担保费补贴", "担保费的50%", "每年2万元"]]),
        "三、申报时间",
        "2026年4月1日至2026年4月30日，逾期不予受理。",
        "四、申报材料",
        "（一）申报表；（二）贷款合同和付息凭证；（三）营业执照复印件。",
    ],
}

COMMUNITY = {
    "issuer": "星澜市工业和信息化局",
    "number": "星工信规〔2026〕6号",
    "title": "星澜市OPC社区认定管理办法",
    "signed": "2026年4月2日",
    "articles": [
        "第一条 为规范市级OPC社区的认定和管理，制定本办法。",
        "第二条 申请认定市级OPC社区，运营面积不少于5000平方米，入驻一人公司不少于50家。",
        "第三条 认定为市级OPC社区的，给予运营单位一次性奖励200万元。",
        "第四条 市级OPC社区每两年复核一次，复核不合格的撤销认定。",
        "第五条 本办法自2026年5月1日起施行，有效期5年。",
    ],
}

# Furniture the tests check never reaches a clause: lines of it, and words only furniture contains.
RELATED = ["东滨区2025年人工智能企业拟资助名单公示（资助总额1200万元）", "东滨区举办OPC创业大赛（奖金池300万元）",
           "关于开展2026年度高新技术企业认定工作的通知"]
FOOTER = ["联系电话：0755-8866 0000", "地址：星澜市东滨区滨海大道1号", "粤ICP备20260001号", "公网安备 44030502000001号"]
FURNITURE_WORDS = ["1200万元", "300万元", "字体", "视力保护色", "分享到", "ICP备", "公网安备", "当前位置", "打印本页",
                   "关闭窗口", "相关文章", "印发给你们", "抄送", "印发机关", "— 2 —", "星东科〔2026〕3号", "网站标识码",
                   "Font size", "Print", "Related"]
