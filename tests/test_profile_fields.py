"""The words of the eligibility check (each field's words in corpus/profile.yaml), validated at
load; unknowns come back asked in words in the requested language; the origin field decides newly_arrived."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from assistant.errors import CorpusError
from assistant.knowledge.eligibility import check, choices_between, validate_profile
from assistant.knowledge.profile import load_profile_spec
from assistant.knowledge.profile_fields import profile_words
from assistant.settings import BUILTIN_CORPUS
from assistant.types import FounderProfile

# Starts servers, processes or a browser: not in the fast tier (make test-fast).
pytestmark = pytest.mark.system


def test_every_profile_field_has_labels_and_asking_words():
    words = profile_words()
    assert set(words.fields) == set(FounderProfile.model_fields)
    for name in FounderProfile.model_fields:
        for lang in ("zh", "zh-Hant", "en"):
            assert words.label(name, lang) and words.ask(name, lang) != name and "_" not in words.ask(name, lang)


def test_a_field_without_words_fails_loudly(tmp_path):
    spec = yaml.safe_load((BUILTIN_CORPUS / "profile.yaml").read_text(encoding="utf-8"))
    del spec["fields"]["in_consortium"]["ask"]
    broken = tmp_path / "profile.yaml"
    broken.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CorpusError, match="in_consortium.ask"):
        load_profile_spec(broken)


def test_words_for_a_value_a_field_cannot_take_fail_loudly(tmp_path):
    spec = yaml.safe_load((BUILTIN_CORPUS / "profile.yaml").read_text(encoding="utf-8"))
    spec["fields"]["degree"]["told"]["postdoc"] = {"zh": "博士后", "en": "a postdoc"}
    broken = tmp_path / "profile.yaml"
    broken.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CorpusError, match="degree.*postdoc"):
        load_profile_spec(broken)


def test_what_was_told_is_restated_in_words():
    profile = FounderProfile(degree="doctoral", newly_arrived=False, team_size=3)
    words = profile_words()
    assert words.told(profile, "en") == ["doctoral degree", "already holding a Shenzhen hukou"]
    assert words.told(profile, "zh-Hant") == ["博士", "已有深圳戶口"]


@pytest.mark.parametrize("lang,word", [("zh", "是否参与入选的创新联合体项目"), ("zh-Hant", "是否參與入選的創新聯合體項目"),
                                       ("en", "whether you are part of a selected innovation consortium")])
def test_unknowns_are_asked_in_words(corpus, lang, word):
    result = check(corpus, validate_profile({"is_founder": True}), lang, today=date(2026, 6, 1))
    consortium = next(b for b in result.benefits if "in_consortium" in b.needed)
    assert word in consortium.asks
    assert all("_" not in a for b in result.benefits for a in b.asks)  # never a field id


def test_origin_decides_newly_arrived_and_the_housing_pair_is_a_choice(corpus):
    today = date(2026, 6, 1)
    away = {b.fact_id: b.status for b in check(corpus, validate_profile({"origin": "武汉"}), "zh", today=today).benefits}
    home = {b.fact_id: b.status for b in check(corpus, validate_profile({"origin": "深圳"}), "zh", today=today).benefits}
    unknown = {b.fact_id: b.status for b in check(corpus, validate_profile({}), "zh", today=today).benefits}
    assert away["hukou_subsidy"] != "not_met" and home["hukou_subsidy"] == "not_met"
    assert unknown["hukou_subsidy"] == "unknown"
    said = {b.fact_id: b.status for b in check(corpus, validate_profile({"origin": "武汉", "newly_arrived": False}),
                                                "zh", today=today).benefits}
    assert said["hukou_subsidy"] == "not_met"  # what the founder said outright wins
    result = check(corpus, validate_profile({"is_founder": True}), "en", today=today)
    pairs = choices_between(result)
    assert "Transitional housing" in " ".join(pairs["housing_subsidy"]) or pairs["housing_subsidy"]
    assert set(pairs) >= {"housing_subsidy", "transitional_housing"}
