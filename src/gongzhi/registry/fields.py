"""The vocabulary of the register: enumerations with bilingual labels, and which fields are public.

One table says which field of an AI system or a filing form the public may see (公示); the public
schemas are built from it and a test checks that no confidential field reaches a public page or API.
"""

from __future__ import annotations

from enum import StrEnum

from gongzhi.i18n import N_


class AlgorithmType(StrEnum):
    """The five filing types of the Algorithmic Recommendation Provisions (Art. 2), SPEC 3.1 (V)."""

    generation_synthesis = "generation_synthesis"  # 生成合成类
    personalised_push = "personalised_push"  # 个性化推送类
    ranking_selection = "ranking_selection"  # 排序精选类
    search_filtering = "search_filtering"  # 检索过滤类
    scheduling_decision = "scheduling_decision"  # 调度决策类


ALGORITHM_TYPE_LABELS = {
    "generation_synthesis": N_("Generation and synthesis"),
    "personalised_push": N_("Personalised push"),
    "ranking_selection": N_("Ranking and selection"),
    "search_filtering": N_("Search and filtering"),
    "scheduling_decision": N_("Scheduling and decision"),
}

#: Short codes used in filing numbers.
ALGORITHM_TYPE_CODES = {
    "generation_synthesis": "SC",
    "personalised_push": "TS",
    "ranking_selection": "PX",
    "search_filtering": "JS",
    "scheduling_decision": "DD",
}


class Sector(StrEnum):
    general = "general"
    government = "government"
    finance = "finance"
    healthcare = "healthcare"
    education = "education"
    employment = "employment"
    transport = "transport"
    media = "media"
    ecommerce = "ecommerce"
    public_safety = "public_safety"
    energy = "energy"
    manufacturing = "manufacturing"
    other = "other"


SECTOR_LABELS = {
    "general": N_("General purpose"),
    "government": N_("Government services"),
    "finance": N_("Finance"),
    "healthcare": N_("Healthcare"),
    "education": N_("Education"),
    "employment": N_("Employment"),
    "transport": N_("Transport"),
    "media": N_("News and media"),
    "ecommerce": N_("E-commerce"),
    "public_safety": N_("Public safety"),
    "energy": N_("Energy and utilities"),
    "manufacturing": N_("Manufacturing"),
    "other": N_("Other"),
}


class DeploymentScope(StrEnum):
    public_service = "public_service"  # offered to the public
    business = "business"  # offered to organisations
    internal = "internal"  # used inside the provider only


SCOPE_LABELS = {
    "public_service": N_("Service to the public"),
    "business": N_("Service to organisations"),
    "internal": N_("Internal use"),
}


class ModelKind(StrEnum):
    large_language_model = "large_language_model"
    generative_media = "generative_media"
    recommender = "recommender"
    classifier = "classifier"
    regression = "regression"
    computer_vision = "computer_vision"
    speech = "speech"
    optimisation = "optimisation"
    other = "other"


MODEL_KIND_LABELS = {
    "large_language_model": N_("Large language model"),
    "generative_media": N_("Image, audio or video generation"),
    "recommender": N_("Recommender"),
    "classifier": N_("Classifier"),
    "regression": N_("Regression / scoring"),
    "computer_vision": N_("Computer vision"),
    "speech": N_("Speech"),
    "optimisation": N_("Optimisation / dispatch"),
    "other": N_("Other"),
}


class EuAnnexIIIArea(StrEnum):
    """EU AI Act Annex III high-risk areas (SPEC 7.2, V)."""

    biometrics = "biometrics"
    critical_infrastructure = "critical_infrastructure"
    education = "education"
    employment = "employment"
    essential_services = "essential_services"
    law_enforcement = "law_enforcement"
    migration = "migration"
    justice_democracy = "justice_democracy"


EU_AREA_LABELS = {
    "biometrics": N_("Biometrics"),
    "critical_infrastructure": N_("Critical infrastructure"),
    "education": N_("Education and vocational training"),
    "employment": N_("Employment and workers management"),
    "essential_services": N_("Access to essential private and public services"),
    "law_enforcement": N_("Law enforcement"),
    "migration": N_("Migration, asylum and border control"),
    "justice_democracy": N_("Justice and democratic processes"),
}


class EuPractice(StrEnum):
    """EU AI Act Art. 5 prohibited practices (the list is R in SPEC 7.2: low confidence)."""

    manipulation = "manipulation"
    exploiting_vulnerabilities = "exploiting_vulnerabilities"
    social_scoring = "social_scoring"
    predictive_policing_profiling = "predictive_policing_profiling"
    facial_scraping = "facial_scraping"
    emotion_recognition_work_school = "emotion_recognition_work_school"
    biometric_categorisation_sensitive = "biometric_categorisation_sensitive"
    realtime_remote_biometric_id = "realtime_remote_biometric_id"


EU_PRACTICE_LABELS = {
    "manipulation": N_("Manipulative or subliminal techniques"),
    "exploiting_vulnerabilities": N_("Exploiting vulnerabilities (age, disability, social situation)"),
    "social_scoring": N_("Social scoring"),
    "predictive_policing_profiling": N_("Crime-risk prediction from profiling alone"),
    "facial_scraping": N_("Untargeted scraping of facial images"),
    "emotion_recognition_work_school": N_("Emotion recognition at work or school"),
    "biometric_categorisation_sensitive": N_("Biometric categorisation inferring sensitive traits"),
    "realtime_remote_biometric_id": N_("Real-time remote biometric identification in public (law enforcement)"),
}

#: Every field of an AI system record, with whether the public register may show it.
SYSTEM_FIELDS: dict[str, bool] = {
    "name": True,
    "name_en": True,
    "purpose": True,
    "sector": True,
    "deployment_scope": True,
    "region": True,
    "expected_users": True,
    "model_kind": True,
    "algorithm_type": True,
    "public_opinion": True,
    "social_mobilisation": True,
    "processes_personal_info": True,
    "processes_sensitive_personal_info": True,
    "automated_decisions": True,
    "interacts_with_people": True,
    "eu_annex_iii_area": True,
    "eu_practices": True,
    "general_purpose_model": True,
    # confidential (企业保密): never in the public register
    "data_sources": False,
    "monthly_active_users": False,
    "technical_contact": False,
    "internal_notes": False,
}

CONFIDENTIAL_SYSTEM_FIELDS = sorted(name for name, public in SYSTEM_FIELDS.items() if not public)
