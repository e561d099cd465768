"""Display names of statuses, metrics and answers (English message ids, translated where shown)."""

from __future__ import annotations

from gongzhi.i18n import N_

STATUS_LABELS = {
    "pass": N_("Pass"),
    "fail": N_("Fail"),
    "error": N_("Error"),
    "skipped": N_("Not applicable"),
    "info": N_("For information"),
    "incomplete": N_("Incomplete"),
    "inconclusive": N_("Inconclusive"),
    "not_assessed": N_("Not assessed"),
    "not_applicable": N_("Not applicable"),
    "unanswered": N_("Unanswered"),
}

ANSWER_LABELS = {"yes": N_("Yes"), "no": N_("No"), "not_applicable": N_("Not applicable")}

FAMILY_LABELS = {
    "performance": N_("Performance"),
    "fairness": N_("Fairness"),
    "robustness": N_("Robustness"),
    "explainability": N_("Explainability"),
    "privacy": N_("Privacy"),
    "data_quality": N_("Data quality"),
    "security": N_("Security"),
}

METRIC_LABELS = {
    "count": N_("Rows"),
    "accuracy": N_("Accuracy"),
    "precision": N_("Precision"),
    "recall": N_("Recall"),
    "f1": N_("F1"),
    "roc_auc": N_("ROC AUC"),
    "log_loss": N_("Log loss"),
    "brier": N_("Brier score"),
    "expected_calibration_error": N_("Expected calibration error"),
    "mae": N_("MAE"),
    "rmse": N_("RMSE"),
    "r2": N_("R²"),
    "selection_rate": N_("Selection rate"),
    "tpr": N_("True positive rate"),
    "fpr": N_("False positive rate"),
    "fnr": N_("False negative rate"),
    "ppv": N_("Precision (PPV)"),
    "mean_score": N_("Mean score"),
    "mean_error": N_("Mean error"),
    "demographic_parity_difference": N_("Demographic parity difference"),
    "demographic_parity_ratio": N_("Demographic parity ratio"),
    "equalized_odds_difference": N_("Equalized odds difference"),
    "equalized_odds_ratio": N_("Equalized odds ratio"),
    "equal_opportunity_difference": N_("Equal opportunity difference"),
    "equal_opportunity_ratio": N_("Equal opportunity ratio"),
    "accuracy_difference": N_("Accuracy difference"),
    "disparate_impact": N_("Disparate impact (four-fifths rule)"),
    "intersection_demographic_parity_difference": N_("Demographic parity difference (intersection)"),
    "intersection_equalized_odds_difference": N_("Equalized odds difference (intersection)"),
    "mae_difference": N_("MAE difference"),
    "rmse_difference": N_("RMSE difference"),
    "mae_ratio": N_("MAE ratio"),
    "max_missing_share": N_("Largest share of missing values"),
    "minority_class_share": N_("Share of the smallest class"),
    "min_group_share": N_("Share of the smallest group"),
    "small_groups": N_("Groups below the minimum size"),
    "max_flip_rate": N_("Largest prediction-flip rate"),
    "max_drop": N_("Largest performance drop"),
    "failed_cases": N_("Perturbations the model failed on"),
    "sensitive_importance_share": N_("Share of importance on sensitive features"),
    "sensitive_shap_share": N_("Share of SHAP on sensitive features"),
    "membership_advantage": N_("Membership-inference advantage"),
    "attack_auc": N_("Attack AUC"),
    "personal_information_columns": N_("Personal-information columns"),
}

PERTURBATION_LABELS = {"noise": N_("Numeric noise"), "swap": N_("Category swaps"), "missing": N_("Missing values")}
