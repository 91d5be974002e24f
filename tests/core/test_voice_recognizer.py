"""The real pocketsphinx decoder on committed WAV fixtures (espeak-ng and flite speech),
and how both engines fail when they cannot run."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from core.voice.factory import create_recognizer
from core.voice.grammar import GroupSpec, group_spec
from core.voice.models import EngineUnavailable, Recognition, Recognizer, VoiceError
from core.voice.pcm import has_speech, read_wav
from core.voice.pocketsphinx_engine import PocketsphinxRecognizer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "voice"
HEX = "0123456789ABCDEF"
WAVS = sorted(FIXTURES.glob("*.wav"))


@pytest.fixture(scope="module")
def recognizer() -> PocketsphinxRecognizer:
    return PocketsphinxRecognizer()


def truth(path: Path) -> str:
    return path.name.split("_", 1)[0]


def test_fixtures_are_there() -> None:
    assert len(WAVS) >= 4
    for path in WAVS:
        assert has_speech(read_wav(path))


@pytest.mark.parametrize("path", WAVS, ids=lambda p: p.stem)
def test_a_spoken_group_is_recognized_with_an_open_grammar(
    recognizer: PocketsphinxRecognizer, path: Path
) -> None:
    result = recognizer.recognize(read_wav(path), GroupSpec.uniform(HEX, 4))
    assert result.text == truth(path)
    assert 0.0 < result.confidence <= 1.0
    assert len(result.char_confidence) == 4
    assert truth(path) not in result.nbest


def test_a_flagged_group_is_recognized_with_its_narrow_grammar(
    recognizer: PocketsphinxRecognizer,
) -> None:
    path = FIXTURES / "B8EF_flite-slt.wav"
    spec = group_spec("B3EF", {1: ["8"]}, HEX, keep_certain=True)
    assert recognizer.recognize(read_wav(path), spec).text == "B8EF"


def test_the_result_always_fits_the_grammar(recognizer: PocketsphinxRecognizer) -> None:
    # The speaker says 7D3E, but the grammar does not allow a 7 first: whatever comes
    # back must still be a group the screen can hold, or nothing.
    spec = GroupSpec.of(["AB", "D", "3", "E"])
    result = recognizer.recognize(read_wav(FIXTURES / "7D3E_espeak-en-us.wav"), spec)
    assert result.text == "" or spec.accepts(result.text)
    assert all(spec.accepts(alt) for alt in result.nbest)


def test_an_unsure_group_is_asked_again_instead_of_read_back(
    recognizer: PocketsphinxRecognizer,
) -> None:
    # The speaker says "one, zero, nine, five" but the third position may not be a 9 (the
    # user picked the wrong group, or OCR's alternatives missed it): whatever the decoder
    # finds there is a guess, and a guessed group must not be read back as if heard.
    spec = GroupSpec.of(["1", "0", HEX.replace("9", ""), "5"])
    assert not recognizer.recognize(read_wav(FIXTURES / "1095_flite-kal16.wav"), spec).heard


def test_silence_is_heard_as_nothing(recognizer: PocketsphinxRecognizer) -> None:
    result = recognizer.recognize(b"\0\0" * 32000, GroupSpec.uniform(HEX, 4))
    assert not result.heard
    assert result.text == ""


def test_broken_audio_is_refused_with_a_message(recognizer: PocketsphinxRecognizer) -> None:
    with pytest.raises(VoiceError, match="damaged"):
        recognizer.recognize(b"\0\0\0", GroupSpec.uniform(HEX, 4))


def test_a_recognition_never_shows_the_code_in_its_repr() -> None:
    r = Recognition(text="7D3E", confidence=0.9, nbest=("7D3F",))
    assert "7D3E" not in repr(r)
    assert "7D3F" not in repr(r)


def test_the_default_engine_is_pocketsphinx() -> None:
    engine = create_recognizer("pocketsphinx")
    assert isinstance(engine, Recognizer)
    assert engine.name == "pocketsphinx"


def test_an_unknown_engine_is_named_in_the_message() -> None:
    with pytest.raises(EngineUnavailable, match="“whisper”"):
        create_recognizer("whisper")


# --- Vosk, without the real package or a model ----------------------------------------


class FakeKaldi:
    said = ""

    def __init__(self, model: object, rate: float, grammar: str) -> None:
        self.grammar = json.loads(grammar)

    def SetWords(self, on: bool) -> None:
        pass

    def AcceptWaveform(self, pcm: bytes) -> bool:
        return True

    def FinalResult(self) -> str:
        words = [{"word": w, "conf": 0.9} for w in FakeKaldi.said.split()]
        return json.dumps({"text": FakeKaldi.said, "result": words}, ensure_ascii=False)


@pytest.fixture
def fake_vosk(monkeypatch: pytest.MonkeyPatch) -> Any:
    module: Any = types.ModuleType("vosk")
    module.SetLogLevel = lambda level: None

    class Model:
        def __init__(self, path: str) -> None:
            if (Path(path) / "broken").exists():
                raise Exception("Failed to create a model")

    module.Model = Model
    module.KaldiRecognizer = FakeKaldi
    monkeypatch.setitem(sys.modules, "vosk", module)
    return module


def model_dir(tmp_path: Path) -> Path:
    for part in ("am/final.mdl", "conf/mfcc.conf"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / part).write_bytes(b"x")
    return tmp_path


def test_vosk_not_installed_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "vosk", None)
    with pytest.raises(EngineUnavailable, match=r"cardbind\[vosk\]"):
        create_recognizer("vosk", str(model_dir(tmp_path)))


@pytest.mark.usefixtures("fake_vosk")
def test_vosk_without_a_usable_model_folder_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="No Vosk model folder is set"):
        create_recognizer("vosk", "")
    with pytest.raises(EngineUnavailable, match="does not exist"):
        create_recognizer("vosk", str(tmp_path / "nowhere"))
    with pytest.raises(EngineUnavailable, match=r"has no am/final\.mdl"):
        create_recognizer("vosk", str(tmp_path))
    folder = model_dir(tmp_path)
    (folder / "broken").write_text("")
    with pytest.raises(EngineUnavailable, match="could not load the model"):
        create_recognizer("vosk", str(folder))


@pytest.mark.usefixtures("fake_vosk")
def test_vosk_takes_english_words_letters_and_chinese_digits(tmp_path: Path) -> None:
    engine = create_recognizer("vosk", str(model_dir(tmp_path)))
    pcm = read_wav(FIXTURES / "7D3E_espeak-en-us.wav")
    spec = GroupSpec.of(["17", "D0", HEX, "EF"])
    for said, expected in (
        ("拐 delta 三 echo", "7D3E"),
        ("七 d 三 e", "7D3E"),
        ("幺洞 三 foxtrot", "103F"),
        ("洞 delta 三 echo", ""),
        ("幺 洞", ""),
    ):
        FakeKaldi.said = said
        assert engine.recognize(pcm, spec).text == expected, said
    FakeKaldi.said = "幺 dee 八 foxtrot"
    result = engine.recognize(pcm, spec)
    assert result.text == "1D8F"
    assert result.char_confidence == (0.9, 0.9, 0.9, 0.9)
