"""Templates of the answers that compare or rank the plan's benefits by the figures it states (comparisons.py)."""

from __future__ import annotations

# "第二高的呢？": the place asked for, then what stands above it.
RANKED = {
    "largest": {"en": "The {nth}-highest amount the plan states is {amount}: {names}.",
                "zh": "计划所列金额中第{n}高的是{amount}：{names}。"},
    "smallest": {"en": "The {nth}-lowest amount the plan states is {amount}: {names}.",
                 "zh": "计划所列金额中第{n}低的是{amount}：{names}。"},
    "longest": {"en": "The {nth}-longest period the plan states is {amount}: {names}.",
                "zh": "计划所列期限中第{n}长的是{amount}：{names}。"},
    "shortest": {"en": "The {nth}-shortest period the plan states is {amount}: {names}.",
                 "zh": "计划所列期限中第{n}短的是{amount}：{names}。"},
}
NTH = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
NTH_ZH = {2: "二", 3: "三", 4: "四", 5: "五"}
ABOVE = {"en": "Ahead of it:", "zh": "排在它之前的："}
NO_PLACE = {"en": "The plan states only {count} different amounts of this kind, so there is no {nth} place:",
            "zh": "计划所列同类金额只有{count}档，没有第{n}位："}
EQUAL = {"en": "The plan states the same figure for each of those you name: {amount}.",
         "zh": "所问几项，计划所列数字相同：{amount}。"}
# Like with like only: a loan's cap is what may be borrowed; an amount per month or year is not a one-off cap.
APART = {
    "kind": {"en": "Loans are not ranked with these: a loan's cap is what may be borrowed, not money given:",
             "zh": "贷款未与上述项目比较：贷款额度是可借款的上限，不是发放的资金："},
    "unit": {"en": "Amounts stated per period (a month, a year) or as a share are not ranked with one-off amounts:",
             "zh": "按期（每月、每年）或按比例计算的金额未与一次性金额比较："},
}
UNLIKE = {
    "kind": {"en": "The plan's figures do not rank these: a loan's cap is what may be borrowed, not money given, so "
                   "it is not more or less than a grant. Each as the plan states it:",
             "zh": "计划的数字无法比较这几项的高低：贷款额度是可借款的上限，不是发放的资金，不能与补贴、资助比多少。"
                   "各项规定如下："},
    "unit": {"en": "The plan's figures do not rank these: they are stated in different units (per month, one-off or "
                   "as a share). Each as the plan states it:",
             "zh": "计划的数字无法直接比较这几项：所用单位不同（按月、一次性或按比例）。各项规定如下："},
    "none": {"en": "The plan does not state a figure of this kind for each of those you name. What it states:",
             "zh": "计划没有为所问各项都列出这类数字。计划的规定如下："},
}
DIFFERENCE = {
    "yuan": {"en": "Of those you name, {hi_name} is the higher: {hi} against {lo} for {lo_name}; the stated figures "
                   "differ by {diff}.",
             "zh": "所问几项中，{hi_name}更高：{hi}，{lo_name}为{lo}，两者所列金额相差{diff}。"},
    "month": {"en": "Of those you name, {hi_name} is the longer: {hi} against {lo} for {lo_name}; the stated periods "
                    "differ by {diff}.",
              "zh": "所问几项中，{hi_name}期限更长：{hi}，{lo_name}为{lo}，两者所列期限相差{diff}。"},
}
BOUND_NOTE = {"en": "Both are caps (“up to”): what is granted may be less.",
              "zh": "两者均为上限（“最高”），实际获得的可能更少。"}
# A founder's own figure applied to a share the plan states: arithmetic, said to be so.
OWN_SHARE = {
    "en": "On your figure of {own} a month: {share} of it is {pays}, about {saves} a month less. {other}. "
          "This is arithmetic on your figure; the plan's share is of the market reference rent, which may differ "
          "from your rent.",
    "zh": "按您所说的每月{own}计算：其{share}为{pays}，每月约少付{saves}。{other}。以上是按您的数字所作的计算；"
          "计划的比例以市场参考租金为准，未必等于您的实际租金。"}
OWN_OTHER = {"en": "{name} is {amount}", "zh": "{name}为{amount}"}
