"""Metrics shared by the competition graders: validated inputs, one function per metric.

Competition graders are thin: they name their id and target columns and call one of these.
Every function raises `mlebench.errors.InvalidSubmissionError` with a reason for a
submission it cannot score, and documents a hand-computed example.

The functions are loaded on first use (`from mlebench.metrics import accuracy` imports only
`metrics.classification`), so that a grader does not import every metric's libraries.
"""

from __future__ import annotations

import importlib
from typing import Any

# submodule -> the names it exports here
_MODULES: dict[str, tuple[str, ...]] = {
    "_validation": (
        "align_on_id", "id_positions", "require_columns", "require_numeric",
        "require_probabilities", "require_same_length",
    ),
    "bias": ("bias_weighted_auc", "generalized_mean"),
    "classification": (
        "accuracy", "auc_roc", "f1", "log_loss", "mean_column_wise_auc_roc", "multiclass_log_loss",
        "quadratic_weighted_kappa",
    ),
    "column_rmse": ("mean_column_wise_rmse",),
    "correlation": ("mean_column_wise_spearman", "pearson_correlation"),
    "detection_3d": ("LYFT_IOU_THRESHOLDS", "lyft_mean_average_precision"),
    "detection_map": (
        "box_iou", "coco_box_map", "labelled_box_map", "labelled_box_map_from_lists",
        "parse_class_score_boxes", "parse_labelled_boxes",
    ),
    "geo_haversine": ("haversine_distance", "mean_trip_haversine_error", "p50_p95_error"),
    "keywords": ("multilabel_micro_f1",),
    "mcc": ("matthews_correlation",),
    "media_iou": ("mean_precision_iou", "single_object_precision"),
    "media_labels": ("macro_f1_integer_labels",),
    "media_lwlrap": ("lwlrap", "lwlrap_from_arrays"),
    "media_weighted_auc": ("weighted_auc_from_scores", "weighted_auc_roc"),
    "multilabel_log_loss": ("melted_weighted_log_loss", "weighted_multilabel_log_loss"),
    "notebooks": ("count_inversions", "kendall_tau_of_orders", "kendall_tau_orderings"),
    "point_detection": ("point_in_box_f1",),
    "probabilistic": (
        "kl_divergence_from_arrays", "probabilistic_f1", "probabilistic_fbeta_from_arrays",
        "vote_kl_divergence",
    ),
    "qa": ("natural_questions_micro_f1", "word_set_jaccard"),
    "ranking": ("average_precision_at_k", "mean_average_precision_at_k"),
    "regression": ("mae", "mean_column_wise_rmsle", "rmse"),
    "rle": ("rle_decode", "rle_decode_fast", "rle_encode", "rle_runs", "rles_to_masks"),
    "segmentation_dice": ("dice_coefficient", "mean_dice_rle"),
    "segmentation_hausdorff": (
        "dice_hausdorff_score", "normalized_hausdorff", "stack_slices_by_scan",
    ),
    "segmentation_pixels": (
        "dice_from_counts", "fbeta_from_counts", "fbeta_rle_row_major", "global_dice_rle",
        "run_counts",
    ),
    "signal_angular": ("mean_angular_error",),
    "signal_edit_distance": ("mean_levenshtein", "sequence_edit_error_rate"),
    "tabular_laplace": ("laplace_log_likelihood",),
    "tabular_log_mae": ("group_mean_log_mae",),
    "text": ("mean_word_jaccard", "word_jaccard"),
    "top1_error": ("top1_error",),
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
