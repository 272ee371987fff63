"""Metrics shared by the competition graders: validated inputs, one function per metric.

Competition graders are thin: they name their id and target columns and call one of these.
Every function raises `mlebench.errors.InvalidSubmissionError` with a reason for a
submission it cannot score, and documents a hand-computed example.
"""

from mlebench.metrics._validation import (
    align_on_id,
    require_columns,
    require_numeric,
    require_probabilities,
    require_same_length,
)
from mlebench.metrics.bias import bias_weighted_auc, generalized_mean
from mlebench.metrics.classification import (
    accuracy,
    auc_roc,
    f1,
    log_loss,
    mean_column_wise_auc_roc,
    multiclass_log_loss,
    quadratic_weighted_kappa,
)
from mlebench.metrics.column_rmse import mean_column_wise_rmse
from mlebench.metrics.correlation import mean_column_wise_spearman, pearson_correlation
from mlebench.metrics.detection_3d import LYFT_IOU_THRESHOLDS, lyft_mean_average_precision
from mlebench.metrics.detection_map import (
    box_iou,
    coco_box_map,
    labelled_box_map,
    labelled_box_map_from_lists,
    parse_class_score_boxes,
    parse_labelled_boxes,
)
from mlebench.metrics.geo_haversine import (
    haversine_distance,
    mean_trip_haversine_error,
    p50_p95_error,
)
from mlebench.metrics.keywords import multilabel_micro_f1
from mlebench.metrics.mcc import matthews_correlation
from mlebench.metrics.media_iou import mean_precision_iou, single_object_precision
from mlebench.metrics.media_labels import macro_f1_integer_labels
from mlebench.metrics.media_lwlrap import lwlrap, lwlrap_from_arrays
from mlebench.metrics.media_weighted_auc import weighted_auc_from_scores, weighted_auc_roc
from mlebench.metrics.multilabel_log_loss import (
    melted_weighted_log_loss,
    weighted_multilabel_log_loss,
)
from mlebench.metrics.notebooks import (
    count_inversions,
    kendall_tau_of_orders,
    kendall_tau_orderings,
)
from mlebench.metrics.point_detection import point_in_box_f1
from mlebench.metrics.probabilistic import (
    kl_divergence_from_arrays,
    probabilistic_f1,
    probabilistic_fbeta_from_arrays,
    vote_kl_divergence,
)
from mlebench.metrics.qa import natural_questions_micro_f1, word_set_jaccard
from mlebench.metrics.ranking import average_precision_at_k, mean_average_precision_at_k
from mlebench.metrics.regression import mae, mean_column_wise_rmsle, rmse
from mlebench.metrics.rle import rle_decode, rle_decode_fast, rle_encode, rle_runs, rles_to_masks
from mlebench.metrics.segmentation_dice import dice_coefficient, mean_dice_rle
from mlebench.metrics.segmentation_hausdorff import (
    dice_hausdorff_score,
    normalized_hausdorff,
    stack_slices_by_scan,
)
from mlebench.metrics.segmentation_pixels import (
    dice_from_counts,
    fbeta_from_counts,
    fbeta_rle_row_major,
    global_dice_rle,
    run_counts,
)
from mlebench.metrics.signal_angular import mean_angular_error
from mlebench.metrics.signal_edit_distance import mean_levenshtein, sequence_edit_error_rate
from mlebench.metrics.tabular_laplace import laplace_log_likelihood
from mlebench.metrics.tabular_log_mae import group_mean_log_mae
from mlebench.metrics.text import mean_word_jaccard, word_jaccard
from mlebench.metrics.top1_error import top1_error

__all__ = [
    "point_in_box_f1",
    "top1_error",
    "dice_coefficient",
    "dice_hausdorff_score",
    "mean_dice_rle",
    "normalized_hausdorff",
    "rle_decode",
    "rle_encode",
    "rles_to_masks",
    "stack_slices_by_scan",
    "lwlrap",
    "lwlrap_from_arrays",
    "macro_f1_integer_labels",
    "mean_precision_iou",
    "single_object_precision",
    "weighted_auc_from_scores",
    "weighted_auc_roc",
    "group_mean_log_mae",
    "laplace_log_likelihood",
    "mean_angular_error",
    "mean_levenshtein",
    "sequence_edit_error_rate",
    "bias_weighted_auc",
    "count_inversions",
    "generalized_mean",
    "kendall_tau_of_orders",
    "kendall_tau_orderings",
    "multilabel_micro_f1",
    "natural_questions_micro_f1",
    "word_set_jaccard",
    "accuracy",
    "align_on_id",
    "auc_roc",
    "average_precision_at_k",
    "f1",
    "log_loss",
    "mae",
    "mean_average_precision_at_k",
    "mean_column_wise_auc_roc",
    "mean_column_wise_rmsle",
    "mean_column_wise_spearman",
    "mean_word_jaccard",
    "multiclass_log_loss",
    "pearson_correlation",
    "quadratic_weighted_kappa",
    "require_columns",
    "require_numeric",
    "require_probabilities",
    "require_same_length",
    "rmse",
    "word_jaccard",
    "LYFT_IOU_THRESHOLDS",
    "lyft_mean_average_precision",
    "box_iou",
    "coco_box_map",
    "labelled_box_map",
    "labelled_box_map_from_lists",
    "parse_class_score_boxes",
    "parse_labelled_boxes",
    "dice_from_counts",
    "fbeta_from_counts",
    "fbeta_rle_row_major",
    "global_dice_rle",
    "rle_decode_fast",
    "rle_runs",
    "run_counts",
    "mean_column_wise_rmse",
    "haversine_distance",
    "mean_trip_haversine_error",
    "p50_p95_error",
    "matthews_correlation",
    "melted_weighted_log_loss",
    "weighted_multilabel_log_loss",
    "kl_divergence_from_arrays",
    "probabilistic_f1",
    "probabilistic_fbeta_from_arrays",
    "vote_kl_divergence",
]
