"""The personal-data registry is complete (docs/personal-data.md): every model that
points at a seeker, or at a model registered as holding a seeker's data, is registered
or declared with a reason, so that a new model cannot be forgotten by export-person and
anonymise."""

from __future__ import annotations

from django.apps import apps

from secondcareer.core import personal_data


def test_every_model_pointing_at_a_person_is_registered() -> None:
    missing = personal_data.unregistered_models()
    assert not missing, (
        "These models point at a seeker (or at a model holding a seeker's data) but are "
        "not in the personal-data registry. Register them in the app's personal_data.py "
        "(secondcareer.core.personal_data.register, with the fields to anonymise), or "
        f"register_not_personal(model, reason=...): {missing}"
    )


def test_a_model_left_out_of_the_registry_is_found() -> None:
    registered = {s.model for s in personal_data.sources()}
    review = apps.get_model("consultations", "Review")
    record_topic = apps.get_model("consultations", "RecordTopic")
    # Review points at Case and SupportPlan, RecordTopic at ConsultationRecord.
    assert personal_data.unregistered_models(registered - {review}) == ["consultations.Review"]
    # without their declarations, the models declared not personal are found (RecordTopic,
    # the matching profile's wished areas, …)
    unexempt = personal_data.unregistered_models(registered, exempt=set())
    assert record_topic._meta.label in unexempt
    assert unexempt == sorted(m._meta.label for m in personal_data.not_personal())


def test_a_model_pointing_only_at_an_unregistered_model_of_a_person_is_found_too() -> None:
    registered = {s.model for s in personal_data.sources()}
    case = apps.get_model("consultations", "Case")
    missing = personal_data.unregistered_models(registered - {case})
    # the case itself (it points at the seeker) is what is reported
    assert "consultations.Case" in missing


def test_every_source_names_real_fields_and_its_own_model() -> None:
    seen = set()
    for source in personal_data.sources():
        assert source.key not in seen
        seen.add(source.key)
        assert source.rows([]).model is source.model
        names = {f.name for f in source.model._meta.get_fields()}
        assert set(source.anonymise) <= names
        assert source.secret <= names
        assert str(source.title)


def test_secrets_are_never_exported() -> None:
    secrets = {"code_hash", "key_hash", "cancel_token", "answer_token", "name_search_key"}
    for source in personal_data.sources():
        exported = {f.name for f in source.export_fields()}
        assert not exported & secrets, source.key
