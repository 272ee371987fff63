import pandas as pd

from mlebench.metrics.detection_map import coco_box_map


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    # COCO mAP at IoU 0.4 (pycocotools), boxes passed to COCO as the reference does (see
    # `coco_box_map` for the x_max/y_max-as-width/height quirk).
    return coco_box_map(submission, answers, iou_threshold=0.4)
