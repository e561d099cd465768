"""The register's part of the demo world: three systems, two approved filings in the public register and
one under review — every step through the same service functions a user's clicks would call."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongzhi.demo import DemoWorld
from gongzhi.registry import filings, reviews, service
from gongzhi.registry.models import AISystem
from gongzhi.registry.schemas import SystemCreate

#: A minimal valid PDF (one empty page), standing in for a self-assessment report.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

SYSTEMS = [
    (
        "xinghe",
        SystemCreate(
            name="星河智能对话助手",
            name_en="Xinghe Assistant",
            purpose="面向公众的智能问答与写作辅助服务",
            sector="general",
            deployment_scope="public_service",
            region="示范市",
            expected_users="社会公众",
            model_kind="large_language_model",
            algorithm_type="generation_synthesis",
            public_opinion=True,
            processes_personal_info=True,
            interacts_with_people=True,
            general_purpose_model=True,
            data_sources="公开网页语料、授权出版物、人工标注对话数据",
            monthly_active_users=1_200_000,
            technical_contact="安全负责人 张工 zhang@xinghe.example",
            version="2.1",
        ),
    ),
    (
        "yunfan",
        SystemCreate(
            name="云帆智能信贷风控评分",
            name_en="Yunfan Credit Risk Scoring",
            purpose="为小微企业贷款审批提供风险评分",
            sector="finance",
            deployment_scope="business",
            region="示范市",
            expected_users="合作银行信贷审批人员",
            model_kind="classifier",
            algorithm_type="scheduling_decision",
            processes_personal_info=True,
            processes_sensitive_personal_info=True,
            automated_decisions=True,
            eu_annex_iii_area="essential_services",
            data_sources="合作银行授权的历史信贷数据、工商登记信息",
            monthly_active_users=3_000,
            technical_contact="模型风险管理部 risk@yunfan.example",
            version="1.3",
        ),
    ),
    (
        "qingsong",
        SystemCreate(
            name="青松影像辅助诊断推荐",
            name_en="Qingsong Imaging Triage",
            purpose="为放射科医生推荐优先阅片的影像检查",
            sector="healthcare",
            deployment_scope="business",
            region="示范市",
            expected_users="合作医院放射科医生",
            model_kind="computer_vision",
            algorithm_type="ranking_selection",
            processes_personal_info=True,
            processes_sensitive_personal_info=True,
            data_sources="合作医院脱敏影像数据",
            version="1.0",
        ),
    ),
]

FORM: dict[str, Any] = {
    "entity": {
        "uscc": "91330100MA2DEMO001",
        "registered_place": "示范市",
        "website": "https://example.cn",
        "address": "示范市高新区创新路1号",
        "algorithm_safety_officer": {
            "name": "王安全",
            "id_type": "居民身份证",
            "id_number": "",
            "mobile": "13800000000",
            "email": "safety@example.cn",
        },
    },
    "algorithm": {
        "role": "service_provider",
        "launch_date": "2026-03-01",
        "application_domain": "互联网信息服务",
        "summary": "基于深度学习模型的算法服务",
        "use_scenarios": "见公示内容",
        "model_and_training_data": "内部模型与训练数据说明（保密）",
        "strategy": "内部策略（保密）",
        "risks_and_safeguards": "风险评估与防护措施（保密）",
    },
    "products": [{"name": "网页与移动应用", "service_form": "app", "access_url": "https://example.cn"}],
    "public_disclosure": {
        "basic_principle": "根据用户输入与上下文生成回答或评分",
        "operating_mechanism": "模型推理、内容安全审核、人工复核",
        "application_scenarios": "见系统用途",
        "purpose": "提升服务效率",
    },
}


def load(session: Session, world: DemoWorld) -> None:
    """Create the demo systems and filings (skipped when the first demo system exists)."""
    if session.scalar(select(AISystem.id).where(AISystem.name == SYSTEMS[0][1].name)) is not None:
        return
    settings = world.settings
    profiles = service.configured_tiering_profiles(settings)
    experts = [world.principals[f"expert{i}"] for i in (1, 2)]
    regulator = world.principals["regulator"]
    for username, data in SYSTEMS:
        enterprise = world.principals[username]
        system = service.create_system(session, enterprise, data=data, profiles=profiles)
        filing = filings.create_filing(session, enterprise, system_id=system.id)
        form = {**FORM, "public_disclosure": {**FORM["public_disclosure"], "purpose": data.purpose}}
        filings.update_form(session, enterprise, filing.id, form=form)
        filings.add_attachment(
            session,
            enterprise,
            settings,
            filing.id,
            kind="self_assessment",
            filename="算法安全自评估报告.pdf",
            chunks=[DEMO_PDF],
        )
        filings.submit_filing(session, enterprise, filing.id, declare=True)
        added = reviews.assign_reviewers(
            session, regulator, settings, filing.id, expert_ids=[e.user_id or 0 for e in experts]
        )
        if username == "qingsong":
            continue  # left under review, for the queue and the experts' lists
        for review, expert in zip(added, experts, strict=True):
            reviews.declare_conflict(session, expert, review.id, has_conflict=False)
            reviews.give_opinion(session, expert, review.id, opinion="approve", reasons="材料完整，风险防控措施可行。")
        reviews.decide(session, regulator, settings, filing.id, decision="approve", reason="经专家评审，予以备案。")
