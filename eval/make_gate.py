"""Writes eval/gate.yaml: model answers for the adversarial gate evaluation.

Each fact below is written by hand as truthful paraphrases (several figure formats) and lies of
each kind (wrong subject, wrong attribute, added condition, other place, wrong figure). The script
only crosses them with the three scripts (zh-Hant is the zh text through OpenCC) and numbers them;
run it after editing and commit both files:  python eval/make_gate.py
"""
from pathlib import Path

import yaml
from opencc import OpenCC

T = OpenCC("s2t").convert
M = "sz-ai-opc-plan:"

# clause, question {en, zh}, truths {en:[...], zh:[...]}, lies {kind: {en:[...], zh:[...]}}
FACTS = [
    ("m4", {"en": "How much is the housing subsidy and for how long?", "zh": "住房补贴每月多少，能领多久？"},
     {"en": ["The housing subsidy runs for up to 24 months, at 1,250 yuan a month before tax [n].",
             "You can get a housing subsidy for up to two years: 1,250 yuan before tax or 1,000 yuan after tax per month [n].",
             "The housing subsidy pays RMB 1,250 per month before tax (1,000 yuan after tax) [n].",
             "Instead of transitional housing, you may take the housing subsidy of 1.25 thousand yuan a month before tax for up to 24 months [n].",
             "Transitional housing can be rented for up to 36 months at about 60% of the market reference rent [n]."],
      "zh": ["住房补贴最长可领24个月，每月税前1250元[n]。",
             "符合条件的青年创业者可领取最长两年的住房补贴，每月税前1250元、税后1000元[n]。",
             "住房补贴每月税前一千二百五十元，税后一千元，最长24个月[n]。",
             "住房补贴每月税前1.25千元，最长二十四个月[n]。",
             "过渡性住房最长可租住36个月，租金约为市场参考租金的六成[n]。"]},
     {"subject": {"en": ["The housing subsidy is paid for up to 36 months [n].",
                         "Transitional housing can be rented for up to 24 months [n].",
                         "The housing subsidy covers about 60% of the market reference rent [n]."],
                  "zh": ["住房补贴最长可领36个月[n]。", "过渡性住房最长可租住24个月[n]。", "住房补贴约为市场参考租金的60%[n]。"]},
      "attribute": {"en": ["The housing subsidy is 1,000 yuan a month before tax [n].",
                           "The housing subsidy is 1,250 yuan a month after tax [n].",
                           "The housing subsidy is 1,250 yuan per year before tax [n].",
                           "The housing subsidy is a one-off payment of 1,000 yuan after tax [n].",
                           "The housing subsidy lasts at least 24 months [n]."],
                    "zh": ["住房补贴每月税前1000元[n]。", "住房补贴每月税后1250元[n]。", "住房补贴每年税前1250元[n]。",
                           "住房补贴为一次性发放税后1000元[n]。", "住房补贴不少于24个月[n]。"]},
      "condition": {"en": ["Only PhD holders can get the housing subsidy of 1,250 yuan a month before tax [n].",
                           "The housing subsidy of 1,250 yuan a month before tax requires a Shenzhen hukou [n].",
                           "Applicants under 35 years old get the housing subsidy for up to 24 months [n]."],
                    "zh": ["仅限博士申请每月税前1250元的住房补贴[n]。", "住房补贴每月税前1250元，须持有深圳户籍[n]。",
                           "35周岁以下的创业者可领取最长24个月的住房补贴[n]。"]},
      "place": {"en": ["Shanghai also offers a housing subsidy of 1,250 yuan a month before tax [n].",
                       "Entrepreneurs in Nanshan get the housing subsidy for up to 24 months [n]."],
                "zh": ["上海也提供每月税前1250元的住房补贴[n]。", "在南山区创业可领取最长24个月的住房补贴[n]。"]},
      "figure": {"en": ["The housing subsidy is 1,500 yuan a month before tax [n].", "The housing subsidy lasts up to 3 years [n]."],
                 "zh": ["住房补贴每月税前1500元[n]。", "住房补贴最长可领三年[n]。"]}}),
    ("m6", {"en": "How big are the training, model and data vouchers?", "zh": "训练算力券、模型券和数据语料券各有多少？"},
     {"en": ["Training vouchers go up to ¥10m [n].",
             "Training power vouchers are worth up to 10 million yuan, and model vouchers up to 2 million yuan [n].",
             "The data corpus voucher is capped at RMB 2m [n].",
             "The municipal AI policy vouchers give up to ten million yuan for training [n].",
             "Model vouchers go up to RMB 2 million, data corpus vouchers also up to 2 million yuan [n]."],
      "zh": ["训练算力券最高1000万元[n]。", "训练算力券最高一千万元，模型券最高200万元[n]。",
             "数据语料券最高两百万元[n]。", "市级人工智能政策券中，训练最高1000万元（训练算力券）[n]。",
             "模型券最高200万元，数据语料券最高200万元[n]。"]},
     {"subject": {"en": ["The model voucher is worth up to 10 million yuan [n].",
                         "Data corpus vouchers go up to ¥10m [n].",
                         "The computing power voucher is worth up to 2 million yuan [n].",
                         "Training vouchers are capped at 2 million yuan [n]."],
                  "zh": ["模型券最高1000万元[n]。", "数据语料券最高1000万元[n]。", "算力券最高200万元[n]。", "训练算力券最高200万元[n]。"]},
      "attribute": {"en": ["Training vouchers give at least 10 million yuan [n].",
                           "Model vouchers are worth 2 million yuan per year [n].",
                           "Training vouchers are worth 10 million yuan per month [n]."],
                    "zh": ["训练算力券不少于1000万元[n]。", "模型券每年200万元[n]。", "训练算力券每月1000万元[n]。"]},
      "condition": {"en": ["Only state-owned companies can get training vouchers of up to 10 million yuan [n].",
                           "Model vouchers of up to 2 million yuan are only for PhD holders [n]."],
                    "zh": ["训练算力券最高1000万元，仅限国有企业申请[n]。", "模型券最高200万元，只有博士才能申请[n]。"]},
      "place": {"en": ["Hangzhou also gives training vouchers of up to 10 million yuan [n]."],
                "zh": ["杭州也提供最高1000万元的训练算力券[n]。"]},
      "figure": {"en": ["Training vouchers go up to 20 million yuan [n].", "Model vouchers are worth up to half a million yuan [n]."],
                 "zh": ["训练算力券最高2000万元[n]。", "模型券最高50万元[n]。"]}}),
    ("m5", {"en": "How large are the startup guaranteed loans for graduates?", "zh": "毕业生创业担保贷款最高多少？"},
     {"en": ["Recent graduates can apply for personal startup guaranteed loans of up to 600,000 yuan [n].",
             "Small- and micro-enterprise startup guaranteed loans go up to 5 million yuan [n].",
             "Personal loans are capped at RMB 600,000 and micro-enterprise loans at RMB 5 million [n].",
             "Graduates within five years of graduating can borrow up to 0.6 million yuan as a personal startup loan [n].",
             "Micro-enterprise startup guaranteed loans reach up to ¥5m [n]."],
      "zh": ["毕业5年内的高校毕业生可申请最高60万元的个人创业担保贷款[n]。", "小微企业创业担保贷款最高500万元[n]。",
             "个人创业担保贷款最高六十万元，小微企业创业担保贷款最高五百万元[n]。",
             "毕业五年内创业的，个人创业担保贷款最高60万元[n]。", "小微企业贷款最高可达500万元[n]。"]},
     {"subject": {"en": ["Personal loans go up to 5 million yuan [n].",
                         "Micro-enterprise loans are capped at 600,000 yuan [n].",
                         "The startup funding for overseas-educated talents is up to 5 million yuan [n]."],
                  "zh": ["个人创业担保贷款最高500万元[n]。", "小微企业创业担保贷款最高60万元[n]。", "留学青年人才创业资助最高500万元[n]。"]},
      "attribute": {"en": ["Personal startup guaranteed loans start at a minimum of 600,000 yuan [n].",
                           "Micro-enterprise loans are 5 million yuan per year [n]."],
                    "zh": ["个人创业担保贷款不少于60万元[n]。", "小微企业创业担保贷款每年500万元[n]。"]},
      "condition": {"en": ["The personal loan of up to 600,000 yuan requires a Shenzhen hukou [n].",
                           "Only graduates under 30 years old can get personal loans of up to 600,000 yuan [n]."],
                    "zh": ["个人创业担保贷款最高60万元，须持有深圳户口[n]。", "仅限30岁以下毕业生申请最高60万元的个人创业担保贷款[n]。"]},
      "place": {"en": ["Graduates in Beijing can also get personal loans of up to 600,000 yuan [n]."],
                "zh": ["北京的毕业生也可申请最高60万元的个人创业担保贷款[n]。"]},
      "figure": {"en": ["Personal loans go up to 800,000 yuan [n].", "Graduates within three years can borrow up to 600,000 yuan [n]."],
                 "zh": ["个人创业担保贷款最高80万元[n]。", "毕业3年内的高校毕业生可申请个人创业担保贷款[n]。"]}}),
    ("m2", {"en": "How much is the hukou subsidy?", "zh": "落户补贴有多少？"},
     {"en": ["Newly introduced doctoral, master's and bachelor's degree holders get tiered hukou subsidies of up to 100,000 yuan [n].",
             "The household registration subsidy goes up to RMB 100,000 [n].",
             "Hukou subsidies are tiered and capped at 0.1 million yuan [n].",
             "The settlement subsidy for newly introduced degree holders reaches up to 100k yuan [n]."],
      "zh": ["新引进的博士、硕士、学士学位人才可获分档落户补贴，最高10万元[n]。", "落户补贴最高十万元[n]。",
             "户口补贴分档发放，最高10万元[n]。", "博士、硕士、学士落户补贴最高100000元[n]。"]},
     {"subject": {"en": ["The housing subsidy is up to 100,000 yuan [n]."], "zh": ["住房补贴最高10万元[n]。"]},
      "attribute": {"en": ["The hukou subsidy is at least 100,000 yuan [n].", "The hukou subsidy is 100,000 yuan per year [n]."],
                    "zh": ["落户补贴不少于10万元[n]。", "落户补贴每年10万元[n]。"]},
      "condition": {"en": ["Only PhD holders in Nanshan can get the hukou subsidy of up to 100,000 yuan [n].",
                           "The hukou subsidy of up to 100,000 yuan is limited to applicants under 35 [n]."],
                    "zh": ["落户补贴最高10万元，仅限博士申请[n]。", "落户补贴最高10万元，仅限35岁以下人才[n]。"]},
      "place": {"en": ["Guangzhou offers the same hukou subsidy of up to 100,000 yuan [n]."],
                "zh": ["广州也提供最高10万元的落户补贴[n]。"]},
      "figure": {"en": ["The hukou subsidy is up to 150,000 yuan [n]."], "zh": ["落户补贴最高15万元[n]。"]}}),
    ("m1", {"en": "How big will the OPC communities be in total?", "zh": "全市OPC社区总面积有多大？"},
     {"en": ["By the end of 2027, citywide OPC community area is expected to exceed 500,000 square meters [n].",
             "The OPC community area across the city should be over half a million square meters by the end of 2027 [n].",
             "Citywide OPC community area will exceed 500,000 m² by the end of 2027 [n]."],
      "zh": ["到2027年底，全市OPC社区面积预计超过50万平方米[n]。", "全市OPC社区面积将超过五十万平方米[n]。",
             "到2027年底全市OPC社区面积超过500000平方米[n]。"]},
     {"figure": {"en": ["Citywide OPC community area will be over a million square meters [n]."],
                 "zh": ["全市OPC社区面积将超过100万平方米[n]。"]},
      "attribute": {"en": ["Citywide OPC community area will be at most 500,000 square meters [n]."],
                    "zh": ["全市OPC社区面积最多50万平方米[n]。"]},
      "place": {"en": ["Like Shanghai, the city plans over 500,000 square meters of OPC communities [n]."],
                "zh": ["与上海一样，全市OPC社区面积将超过50万平方米[n]。"]}}),
    ("m3", {"en": "How much low-cost space can I get?", "zh": "低成本创业空间最多多大？"},
     {"en": ["Eligible AI individuals and teams may access low-cost entrepreneurial space of up to 50 square meters [n].",
             "Low-cost startup space is capped at 50 m² [n].", "You may get up to fifty square meters of low-cost entrepreneurial space [n]."],
      "zh": ["符合条件的人工智能个人和团队可享受最高50平方米的低成本创业空间[n]。", "低成本创业空间最高五十平方米[n]。",
             "低成本创业空间最多50平米[n]。"]},
     {"attribute": {"en": ["Low-cost entrepreneurial space is at least 50 square meters [n]."], "zh": ["低成本创业空间不少于50平方米[n]。"]},
      "condition": {"en": ["Only listed companies can use low-cost space of up to 50 square meters [n]."],
                    "zh": ["低成本创业空间最高50平方米，仅限上市公司[n]。"]},
      "figure": {"en": ["Low-cost entrepreneurial space is up to 100 square meters [n]."], "zh": ["低成本创业空间最高100平方米[n]。"]}}),
]


FACTS += [
    ("goals", {"en": "What are the plan's goals for 2027?", "zh": "到2027年底计划的目标是什么？"},
     {"en": ["By the end of 2027, Shenzhen aims to establish more than 10 OPC communities, each at least 10,000 square meters [n].",
             "The city plans to cultivate over 1,000 high-growth AI startups by the end of 2027 [n].",
             "It aims to attract more than ten thousand AI professionals [n]."],
      "zh": ["到2027年底，深圳将建成10个以上OPC社区，每个社区面积不少于1万平方米[n]。",
             "计划培育1000家以上高成长性人工智能初创企业[n]。", "吸引一万名以上人工智能创新创业人才[n]。"]},
     {"subject": {"en": ["Shenzhen aims to cultivate more than 10,000 high-growth AI startups [n].",
                         "Each OPC community will have at least 1,000 professionals [n]."],
                  "zh": ["计划培育1万家以上高成长性人工智能初创企业[n]。", "每个OPC社区不少于1000家初创企业[n]。"]},
      "attribute": {"en": ["Each OPC community will be at most 10,000 square meters [n]."],
                    "zh": ["每个OPC社区面积最多1万平方米[n]。"]},
      "place": {"en": ["Like Beijing, Shenzhen aims for more than 10 OPC communities [n]."],
                "zh": ["与北京一样，深圳将建成10个以上OPC社区[n]。"]},
      "figure": {"en": ["Shenzhen aims to establish more than 20 OPC communities [n]."], "zh": ["深圳将建成20个以上OPC社区[n]。"]}}),
    ("m7", {"en": "How much support is there for AI products in government services?", "zh": "政务服务中部署的人工智能产品能获得多少支持？"},
     {"en": ["AI products deployed in government services can get up to 5 million yuan [n].",
             "Demonstration application projects with strong promotion value can receive up to RMB 2m in R&D funding [n]."],
      "zh": ["在政务服务中部署应用的人工智能产品最高可获500万元支持[n]。", "示范应用项目最高可获200万元研发资助[n]。"]},
     {"subject": {"en": ["Demonstration application projects can receive up to 5 million yuan in R&D funding [n]."],
                  "zh": ["示范应用项目最高可获500万元研发资助[n]。"]},
      "condition": {"en": ["Only foreign-invested companies can get up to 5 million yuan for AI products in government services [n]."],
                    "zh": ["仅限外资企业在政务服务中部署的人工智能产品获得最高500万元支持[n]。"]},
      "figure": {"en": ["AI products in government services can get up to 8 million yuan [n]."], "zh": ["政务服务人工智能产品最高可获800万元支持[n]。"]}}),
    ("m9", {"en": "How much can an innovation consortium get?", "zh": "创新联合体项目最高能获得多少资助？"},
     {"en": ["Selected innovation consortium projects may receive up to 30 million yuan under Shenzhen's R&D funding measures for key sectors [n].",
             "Innovation consortia can get R&D funding of up to RMB 30 million [n]."],
      "zh": ["入选的创新联合体项目可依据深圳市重点领域研发资助措施获得最高3000万元资助[n]。", "创新联合体项目最高可获三千万元资助[n]。"]},
     {"attribute": {"en": ["Innovation consortium projects receive at least 30 million yuan [n]."],
                    "zh": ["创新联合体项目不少于3000万元资助[n]。"]},
      "condition": {"en": ["Only listed companies in an innovation consortium may receive up to 30 million yuan [n]."],
                    "zh": ["创新联合体项目最高3000万元，仅限上市公司[n]。"]},
      "figure": {"en": ["Innovation consortium projects may receive up to 50 million yuan [n]."], "zh": ["创新联合体项目最高可获5000万元资助[n]。"]}}),
]

# Bad input a model may send: malformed, enormous or mixed-script numbers, empty or
# out-of-range citations, the wrong script. `citations` overrides the ones derived from [n].
BAD_INPUT = {
    "m4": {"en": [("The housing subsidy is 1,2,5,0 yuan a month [n].", None),
                  ("The housing subsidy is 99999999999999999999999999 yuan a month [n].", None),
                  ("The housing subsidy is 一千二百五十 yuan and 1,000元 after tax [n] [n].", None),
                  ("The housing subsidy is 1,250 yuan a month before tax.", []),
                  ("The housing subsidy is 1,250 yuan a month before tax [42].", [42]),
                  ("The housing subsidy is 1,250 yuan a month before tax [0].", [0]),
                  ("住房补贴每月税前1250元[n]。", None),
                  ("The housing subsidy is 1e9 yuan a month [n].", None),
                  ("The housing subsidy is −1,250 yuan a month [n].", None)],
           "zh": [("住房补贴每月税前1,2,5,0元[n]。", None),
                  ("住房补贴每月99999999999999999999元[n]。", None),
                  ("住房补贴每月税前１２５０元，税后一千零五十元[n]。", None),
                  ("住房补贴每月税前1250元。", []),
                  ("住房补贴每月税前1250元[42]。", [42]),
                  ("住房补贴每月税前1250元[0]。", [0]),
                  ("The housing subsidy is 1,250 yuan a month before tax [n].", None),
                  ("住房补贴每月税前1.25e3元[n]。", None),
                  ("住房补贴每月税前1250元，税后1000元，最长24个月，由深圳市发放给符合条件的青年创业者[n]。", "simplified")]},
}


def items():
    out = []
    for cid, q, truths, lies in FACTS:
        for lang in ("en", "zh", "zh-Hant"):
            base = "zh" if lang != "en" else "en"
            conv = T if lang == "zh-Hant" else (lambda s: s)
            for i, a in enumerate(truths[base]):
                out.append({"id": f"{cid}-{lang}-true-{i + 1}", "lang": lang, "kind": "truth", "truthful": True,
                            "question": conv(q[base]), "cite": [M + cid], "answer": conv(a)})
            for kind, texts in lies.items():
                for i, a in enumerate(texts[base]):
                    out.append({"id": f"{cid}-{lang}-{kind}-{i + 1}", "lang": lang, "kind": kind, "truthful": False,
                                "question": conv(q[base]), "cite": [M + cid], "answer": conv(a)})
    for cid, langs in BAD_INPUT.items():
        q = next(f[1] for f in FACTS if f[0] == cid)
        for lang in ("en", "zh", "zh-Hant"):
            base = "zh" if lang != "en" else "en"
            conv = T if lang == "zh-Hant" else (lambda s: s)
            for i, (a, cites) in enumerate(langs[base]):
                if cites == "simplified":   # a Simplified reply to a Traditional question: the wrong script
                    if lang != "zh-Hant":
                        continue
                    cites, text = None, a
                else:
                    text = conv(a)
                item = {"id": f"{cid}-{lang}-bad_input-{i + 1}", "lang": lang, "kind": "bad_input", "truthful": False,
                        "question": conv(q[base]), "cite": [M + cid], "answer": text}
                if cites is not None:
                    item["citations"] = cites
                out.append(item)
    return out


if __name__ == "__main__":
    path = Path(__file__).with_name("gate.yaml")
    data = items()
    head = ("# Adversarial gate evaluation: model answers served by the scripted OpenAI-compatible\n"
            "# server through the real LLM path. Generated by eval/make_gate.py (edit that, then rerun).\n"
            "# [n] is replaced by the source number the prompt gives the cited clause.\n")
    path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    print(len(data), "answers ->", path)
