"""Data-parallel training (keras.distribution under JAX) gives the loss curve of one device: checked on the CPU
with two virtual XLA devices, through benchmarks/bench_distributed.py (the engine's `train_classifier`)."""
import json, os, subprocess, sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def test_two_devices_follow_the_one_device_loss_curve(tmp_path):
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "3",
           "XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    out = tmp_path / "dist.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_distributed.py"), "--devices", "1", "2",
                    "--images", "128", "--json", str(out)], env=env, check=True, capture_output=True, text=True)
    one, two = (json.loads(out.read_text())[k] for k in ("1", "2"))
    assert one["devices"] == ["cpu:0"] and two["devices"] == ["cpu:0", "cpu:1"]
    assert len(one["losses"]) == len(two["losses"]) == 3  # head, then two fine-tuning epochs
    assert one["losses"][-1] < one["losses"][0] * 0.8  # it learns, so the comparison means something
    np.testing.assert_allclose(two["losses"], one["losses"], rtol=1e-3)
