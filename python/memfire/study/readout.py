"""The trained linear readout: standardised features, multinomial logistic regression, a
stratified 70/30 split drawn from the seed. The same readout for every condition and baseline,
so differences in accuracy come from the features."""

import warnings

import numpy as np

TEST_FRACTION = 0.3
#: Inverse L2 strength; one value for every condition (no tuning on the test set).
REGULARISATION_C = 0.1


def accuracy(features, labels, seed):
    """Test accuracy of the readout trained on the training part of (features, labels)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    x_train, x_test, y_train, y_test = train_test_split(
        np.asarray(features, dtype=np.float64), labels, test_size=TEST_FRACTION, random_state=seed, stratify=labels
    )
    scaler = StandardScaler().fit(x_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(C=REGULARISATION_C, max_iter=3000).fit(scaler.transform(x_train), y_train)
    return float(model.score(scaler.transform(x_test), y_test))
