"""Real size of each implemented competition's private answers (rows of the answers file a grader
reads), for `bench_grading.py --full-size`.

Basis: the reference preparer's split (openai/mle-bench, mlebench/competitions/<id>/prepare.py:
test fraction, fixed test size or held-out files) applied to the size of Kaggle's download. Counts
marked "≈" are estimates (the split depends on group sizes we cannot see without the data); they
are within a few percent, which is all a timing needs. Sizes of Kaggle's files are from the
competitions' data pages.
"""

FULL_TEST_ROWS: dict[str, int] = {
    # 36 of 180 logs (test_size 0.2) x 126 samples each (22,680 train.csv rows / 180 logs).
    "3d-object-detection-for-autonomous-vehicles": 4_536,
    # 17,500 train images x test_size 0.19.
    "aerial-cactus-identification": 3_325,
    # 20,000 notebooks held out (test_size=20000); one answer row per notebook.
    "AI4Code": 20_000,
    # test_size=5000 cover images, one test image (cover or stego) each.
    "alaska2-image-steganalysis": 5_000,
    # 3,662 train images x 0.1.
    "aptos2019-blindness-detection": 367,
    # ≈ 1% of the 30,301,028 lines (those with more than two words).
    "billion-word-imputation": 303_000,
    # 2,424,186 train_labels rows x 0.2, rounded up.
    "bms-molecular-translation": 484_838,
    # 2 of Kaggle's 16 train TFRecord files (test_size 0.1) ≈ 2 x 1,338 images.
    "cassava-leaf-disease-classification": 2_676,
    # 7,069,896 train products (train.bson) x 0.1.
    "cdiscount-image-classification-challenge": 706_990,
    # 1,114 train questions x 0.1.
    "chaii-hindi-and-tamil-question-answering": 112,
    # ≈ 10% of the 85,003 molecules of the 4,658,147 coupling rows.
    "champs-scalar-coupling": 465_815,
    # 144 train images x 0.2 = 29 images, one row per pixel (540 wide, 258 or 420 tall) ≈ 29 x 540 x 370.
    "denoising-dirty-documents": 5_794_000,
    # Kaggle's labelled verification set (impermium_verification_labels.csv).
    "detecting-insults-in-social-commentary": 2_647,
    # 10,222 train images x 0.1.
    "dog-breed-identification": 1_023,
    # 25,000 train images x 0.1.
    "dogs-vs-cats-redux-kernels-edition": 2_500,
    # 6,034,195 train questions x 0.1.
    "facebook-recruiting-iii-keyword-extraction": 603_420,
    # the post-competition test set of FSDKaggle2019 (Zenodo): 4,481 clips.
    "freesound-audio-tagging-2019": 4_481,
    # 6,079 train questions x 0.1.
    "google-quest-challenge": 608,
    # Test records = size of Kaggle's validation set (1,856), one RLE row each (256 x 256 pixels).
    "google-research-identify-contrails-reduce-global-warming": 1_856,
    # ≈ customers with a purchase in the last 8 days of transactions_train.csv (2020-09-15..22).
    "h-and-m-personalized-fashion-recommendations": 75_000,
    # ≈ 20% of each category's specimens (1,030,747 train images, 32,093 categories).
    "herbarium-2020-fgvc7": 206_000,
    # ≈ 20% of 2,257,759 train images (64,500 categories).
    "herbarium-2021-fgvc8": 451_000,
    # ≈ 20% (rounded up per category) of 839,772 train images (15,501 categories).
    "herbarium-2022-fgvc9": 174_000,
    # 220,025 labelled patches x 57,458 / (220,025 + 57,458).
    "histopathologic-cancer-detection": 45_561,
    # ≈ 10% of the 11,138 spectrograms (1,114) x ~9.6 labelled windows each.
    "hms-harmful-brain-activity-classification": 10_700,
    # 97,553 train images (one duplicate dropped) x 0.1.
    "hotel-id-2021-fgvc8": 9_756,
    # 3 of the 15 train images (train_size=12, test_size=3), one RLE row each.
    "hubmap-kidney-segmentation": 3,
    # 66 of 660 batches (test_size 0.1) x 200,000 events.
    "icecube-neutrinos-in-deep-ice": 13_200_000,
    # 142,119 train images x 0.15.
    "imet-2020-fgvc7": 21_318,
    # ≈ 12% of each category's images (268,243 train+val images, 1,010 categories).
    "inaturalist-2019-fgvc6": 32_200,
    # 2,295 train images x 0.2.
    "invasive-species-monitoring": 459,
    # The reference's prepared test.csv (16,862 images, some annotated twice).
    "iwildcam-2019-fgvc6": 16_877,
    # ≈ 22% of 217,959 train images (split by camera location).
    "iwildcam-2020-fgvc7": 48_000,
    # Kaggle's test labels minus the rows marked -1: 63,978.
    "jigsaw-toxic-comment-classification-challenge": 63_978,
    # test_private_expanded.csv.
    "jigsaw-unintended-bias-in-toxicity-classification": 97_320,
    # 3,881 train pages x 0.1.
    "kuzushiji-recognition": 389,
    # 990 train leaves x 0.1.
    "leaf-classification": 99,
    # 17,307 essays x 0.1.
    "learning-agency-lab-automated-essay-scoring-2": 1_731,
    # 57,477 conversations x 0.1.
    "lmsys-chatbot-arena": 5_748,
    # 1,229,932 train frames x 451,552 / (1,229,932 + 451,552) (the original test share).
    "ml2021spring-hw2": 330_303,
    # 64 test recordings x 19 species (one row per pair).
    "mlsp-2013-birds": 1_216,
    # 156,060 phrases x 0.3.
    "movie-review-sentiment-analysis-kernels-only": 46_818,
    # ≈ the samples of training4 (about 100 sequences).
    "multi-modal-gesture-recognition": 100,
    # test_size=9914 rows.
    "new-york-city-taxi-fare-prediction": 9_914,
    # 24 of 240 plays held out: 4,721,618 train_labels rows - 4,258,375 kept for training.
    "nfl-player-contact-detection": 463_243,
    # 2,400 train materials x 0.1.
    "nomad2018-predict-transparent-conductors": 240,
    # ≈ 18 of 176 patients x ~140 weeks (every Patient_Week in the test range).
    "osic-pulmonary-fibrosis-progression": 2_520,
    # 10,407 train images x 0.25 (train_size 0.75).
    "paddy-disease-classification": 2_602,
    # 9,912 train pets x 0.1.
    "petfinder-pawpularity-score": 992,
    # 1,821 train images x 0.1.
    "plant-pathology-2020-fgvc7": 183,
    # 18,632 train images x 0.2.
    "plant-pathology-2021-fgvc8": 3_727,
    # 4,750 train images x 0.14.
    "plant-seedlings-classification": 665,
    # 14,838 train rows x 0.1.
    "playground-series-s3e18": 1_484,
    # our practice sets (their task cards): 1,527 labelled digits x 0.2; 1,000 labelled rows x 0.25.
    "practice-digit-images": 306,
    "practice-tabular-classification": 250,
    "practice-tabular-regression": 250,
    # 4,431 labelled segments x 0.1, rounded up.
    "predict-volcanic-eruptions-ingv-oe": 444,
    # 4,040 train requests x 1,631 / (4,040 + 1,631).
    "random-acts-of-pizza": 1_162,
    # 30,083 train images x 0.1.
    "ranzcr-clip-catheter-line-classification": 3_009,
    # 1,817 of 2,019 studies held out (10% kept for training) x 8 targets.
    "rsna-2022-cervical-spine-fracture-detection": 14_536,
    # ⌈0.1 x 11,913 patients⌉ = 1,192 test patients x 2 breasts.
    "rsna-breast-cancer-detection": 2_384,
    # 585 labelled cases x 0.1, rounded up.
    "rsna-miccai-brain-tumor-radiogenomic-classification": 59,
    # 60,000 train targets x 0.1.
    "seti-breakthrough-listen": 6_000,
    # ≈ 606 study rows (6,054 studies x 0.1) + ≈ 634 image rows.
    "siim-covid19-detection": 1_240,
    # two train TFRecords of 2,071 images each.
    "siim-isic-melanoma-classification": 4_142,
    # 8 held-out phone trips' epochs.
    "smartphone-decimeter-2022": 37_087,
    # 8,693 passengers x 0.1.
    "spaceship-titanic": 870,
    # 19,579 sentences x 0.1.
    "spooky-author-identification": 1_958,
    # int(0.1 x 2,400) = 240 sequences x 107 positions.
    "stanford-covid-vaccine": 25_680,
    # 1,604 train images x 0.2.
    "statoil-iceberg-classifier-challenge": 321,
    # 4,000,000 train rows x 0.1.
    "tabular-playground-series-dec-2021": 400_000,
    # test_size=100,000 rows.
    "tabular-playground-series-may-2022": 100_000,
    # 64,727 train clips x 0.1.
    "tensorflow-speech-recognition-challenge": 6_473,
    # 307,373 train examples x 0.1, two answer rows (long, short) each.
    "tensorflow2-question-answering": 61_476,
    # the reference's own comment: len(answers) = 993,465.
    "text-normalization-challenge-english-language": 993_465,
    # the reference's own comment: len(answers) = 1,059,191.
    "text-normalization-challenge-russian-language": 1_059_191,
    # 4,000 train images x 0.25.
    "tgs-salt-identification-challenge": 1_000,
    # ≈ the clips of the last 2 of the 4 days of the 30,000-clip train2.
    "the-icml-2013-whale-challenge-right-whale-redux": 15_000,
    # 27,481 tweets x 0.1.
    "tweet-sentiment-extraction": 2_749,
    # 36,473 phrase pairs x 0.1.
    "us-patent-phrase-to-phrase-matching": 3_648,
    # ≈ 9 of the 85 cases (test_size 0.1) of train.csv's 115,488 rows (38,496 slices x 3 classes).
    "uw-madison-gi-tract-image-segmentation": 12_230,
    # 75,450 breaths x 0.1, 80 time steps each.
    "ventilator-pressure-prediction": 603_600,
    # One held-out fragment (7,606 x 5,249 pixels, one RLE row).
    "vesuvius-challenge-ink-detection": 1,
    # ≈ one answer row per (image, class) over the 1,500 test images.
    "vinbigdata-chest-xray-abnormalities-detection": 2_600,
    # ≈ 10% of 9,850 train images (plus whales forced into test).
    "whale-categorization-playground": 985,
}

LITE = {  # MLE-bench Lite (the "low" complexity split); the rest are Medium or High
    "aerial-cactus-identification", "aptos2019-blindness-detection", "denoising-dirty-documents",
    "detecting-insults-in-social-commentary", "dog-breed-identification", "dogs-vs-cats-redux-kernels-edition",
    "histopathologic-cancer-detection", "jigsaw-toxic-comment-classification-challenge", "leaf-classification",
    "mlsp-2013-birds", "new-york-city-taxi-fare-prediction", "nomad2018-predict-transparent-conductors",
    "plant-pathology-2020-fgvc7", "random-acts-of-pizza", "ranzcr-clip-catheter-line-classification",
    "siim-isic-melanoma-classification", "spooky-author-identification", "tabular-playground-series-dec-2021",
    "tabular-playground-series-may-2022", "text-normalization-challenge-english-language",
    "text-normalization-challenge-russian-language", "the-icml-2013-whale-challenge-right-whale-redux",
}
