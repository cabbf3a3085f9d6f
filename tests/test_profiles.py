"""Every profile is valid for every chapter, and the GPU-sized profiles at least start here: `full`'s final-model
configuration (EfficientNetV2M) runs its first training steps with weights=None, and `gpu`'s (EfficientNet-Lite1 at
240 px, offline ImageNet weights) runs under Keras' JAX backend, as on the GPU machine, on a few images."""
import json

import pytest

from wbc_nb.report import RunFailed, chapters, load_profile, resolve_parameters, run_report

from conftest import SAMPLE


@pytest.mark.parametrize("profile", ["smoke", "cpu", "full", "gpu"])
def test_profiles_resolve_for_every_chapter(profile):
    resolved = resolve_parameters(chapters(), load_profile(profile), {})
    assert set(resolved) == set(chapters())


def test_full_profile_final_model_starts_with_weights_none(tmp_path):
    out = tmp_path / "full"
    rec = run_report("full", data=str(SAMPLE), out=out, only=["10_final_model"], progress=False,
                     params={"weights": "none", "max_per_class": 8, "test_per_class": 1, "head_epochs": 1,
                             "finetune_epochs": 1, "batch_size": 8})
    entry = rec["notebooks"]["10_final_model"]
    assert entry["status"] == "ok"
    assert entry["parameters"]["backbone"] == "efficientnet_v2m"
    card = json.loads((out / "artifacts" / "model_card.json").read_text())
    assert card["backbone"] == "efficientnet_v2m" and card["weights"] == "none"
    # run alone, the "auto" settings fall back to stated defaults, and the card says so
    assert card["parameters"]["unfreeze_fraction"] == 0.3 and card["settings_from"]["unfreeze_fraction"].startswith("default")
    assert (out / "artifacts" / "final_model.keras").exists()


def test_gpu_profile_final_model_starts_under_jax(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")  # the kernels inherit it: the GPU machine has no TensorFlow
    out = tmp_path / "gpu"
    rec = run_report("gpu", data=str(SAMPLE), out=out, only=["10_final_model"], progress=False,
                     params={"max_per_class": 6, "test_per_class": 1, "head_epochs": 1, "finetune_epochs": 1, "batch_size": 8})
    assert rec["notebooks"]["10_final_model"]["status"] == "ok"
    card = json.loads((out / "artifacts" / "model_card.json").read_text())
    assert (card["backbone"], card["parameters"]["image_size"], card["weights"]) == ("efficientnet_lite1", 240, "imagenet")
    assert card["keras_backend"] == "jax" and card["parameters"]["tta_views"] == [0, 1, 4, 6]
    assert json.loads((out / "artifacts" / "final_metrics.json").read_text())["images"]["train"] > 0


def test_cpu_profile_final_model_trains_both_members_and_ships_the_validation_choice(tmp_path):
    out = tmp_path / "cpu"
    rec = run_report("cpu", data=str(SAMPLE), out=out, only=["10_final_model"], progress=False,
                     params={"max_per_class": 6, "test_per_class": 1, "head_epochs": 1, "finetune_epochs": 1, "batch_size": 8,
                             "image_size": 64})
    assert rec["notebooks"]["10_final_model"]["parameters"]["extra_backbones"] == ["efficientnet_lite1"]
    final = json.loads((out / "artifacts" / "final_metrics.json").read_text())
    assert set(final["member_fine_tune_seconds"]) == {"efficientnet_lite0", "efficientnet_lite1"}
    # each member and their soft vote, as is and over the profile's two views: six candidates, one shipped
    candidates = {c["candidate"]: c for c in final["candidates"]}
    assert len(candidates) == 6 and final["shipped"] in candidates
    best = max(c["clean + shifted validation macro-F1"] for c in candidates.values())
    assert candidates[final["shipped"]]["clean + shifted validation macro-F1"] == best
    card = json.loads((out / "artifacts" / "model_card.json").read_text())
    assert card["members"] == final["members"] and card["backbone"] == " + ".join(final["members"])
    assert set(final["members"]) <= {"efficientnet_lite0", "efficientnet_lite1"}


def test_final_model_refuses_a_member_twice(tmp_path):
    with pytest.raises(RunFailed, match="extra_backbones"):
        run_report("smoke", data=str(SAMPLE), out=tmp_path / "twice", only=["10_final_model"], progress=False,
                   params={"extra_backbones": ["EfficientNet-Lite0"], "backbone": "efficientnet_lite0"})
