"""The same model code under Keras' JAX backend, which is what the GPU machine runs (it has no TensorFlow):
a model saved under TensorFlow loads under JAX with the same probabilities and the same Grad-CAM maps
(TF's GradientTape and its `jax.grad` twin), and the training engine runs there."""
import os, subprocess, sys

import numpy as np

SAVE_AND_EXPLAIN = """
import sys, numpy as np, keras
from wbc_nb.train import build_classifier
from wbc_nb.gradcam import gradcam, last_map_at_least
path, out = sys.argv[1], sys.argv[2]
if keras.backend.backend() == "tensorflow":
    keras.utils.set_random_seed(0)
    build_classifier("efficientnet_lite0", "imagenet", 96, dense=(16,)).save(path)
m = keras.saving.load_model(path, safe_mode=True)
x = np.random.default_rng(0).integers(0, 256, (6, 96, 96, 3), dtype=np.uint8)
np.savez(out, backend=keras.backend.backend(), probs=m.predict(x, verbose=0),
         cam6=gradcam(m, x, layer=last_map_at_least(m, 6)), cam3=gradcam(m, x), cam_class=gradcam(m, x, class_index=2))
"""

TRAIN = """
import sys, numpy as np, keras
from wbc_nb.train import build_classifier, train_classifier
rng = np.random.default_rng(0)
x, y = rng.integers(0, 256, (24, 32, 32, 3), dtype=np.uint8), np.arange(24) % 8
m = build_classifier("efficientnet_lite0", None, 32, dense=(8,))
h = train_classifier(m, "efficientnet_lite0", x[:16], y[:16], x[16:], y[16:], head_epochs=1, finetune_epochs=2,
                     batch_size=8, augment="traditional", freeze_batchnorm=False, average_last=2)
print(keras.backend.backend(), "/".join(r["phase"].replace(" ", "_") for r in h),
      all(np.isfinite(r["loss"]) for r in h if r["phase"] != "weight average"), h[-1]["averaged_epochs"])
"""


TRAIN_DEVICE_SHIFTS = """
import numpy as np, keras
from wbc_nb.train import build_classifier, train_classifier
rng = np.random.default_rng(0)
x, y = rng.integers(0, 256, (24, 32, 32, 3), dtype=np.uint8), np.arange(24) % 8
m = build_classifier("efficientnet_lite0", None, 32, dense=(8,))
n_layers = len(m.layers)
h = train_classifier(m, "efficientnet_lite0", x[:16], y[:16], x[16:], y[16:], head_epochs=1, finetune_epochs=1,
                     batch_size=6, augment="robust", freeze_batchnorm=False, device_shifts=True)
print(keras.backend.backend(), "/".join(r["phase"] for r in h), all(np.isfinite(r["loss"]) for r in h), len(m.layers) == n_layers)
"""


def _python(script, backend, *args):
    env = {**os.environ, "KERAS_BACKEND": backend, "JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], env=env, check=True,
                          capture_output=True, text=True).stdout


def test_tensorflow_model_and_gradcam_match_under_jax(tmp_path):
    model = tmp_path / "m.keras"
    _python(SAVE_AND_EXPLAIN, "tensorflow", model, tmp_path / "tf.npz")
    _python(SAVE_AND_EXPLAIN, "jax", model, tmp_path / "jax.npz")
    tf, jx = np.load(tmp_path / "tf.npz"), np.load(tmp_path / "jax.npz")
    assert (str(tf["backend"]), str(jx["backend"])) == ("tensorflow", "jax")
    np.testing.assert_allclose(jx["probs"], tf["probs"], atol=1e-5)
    for k in ("cam6", "cam3", "cam_class"):
        assert tf[k].shape == (6, 96, 96) and tf[k].max() > 0.99, k  # real maps, each scaled to a peak of 1
        np.testing.assert_allclose(jx[k], tf[k], atol=2e-3, err_msg=k)


def test_training_engine_runs_under_jax():
    out = _python(TRAIN, "jax").split()
    # both phases, then the mean of the last two fine-tuning epochs' weights scored as one more candidate
    assert out == ["jax", "head/fine-tune/fine-tune/weight_average", "True", "2"], out


def test_device_shifts_train_under_jax():
    # every policy family as layers in the jitted training step (a last batch of 4 of 16 included); the network comes back bare
    assert _python(TRAIN_DEVICE_SHIFTS, "jax").split() == ["jax", "head/fine-tune", "True", "True"]
