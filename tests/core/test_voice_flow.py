"""The voice fix of a code as the user goes through it: ask, listen, read back, 对/重说."""

from __future__ import annotations

import pytest

from core.codes import get_profile
from core.voice.flow import FlowError, GroupTask, State, VoiceFixFlow, tasks_for_code
from core.voice.grammar import GroupSpec
from core.voice.models import NOTHING, Recognition
from core.voice.readback import Clip, Readback, ReadbackOptions

HEX = "0123456789ABCDEF"
EN = ReadbackOptions("en")


def said(rb: Readback) -> list[str]:
    return [s.id.split("/", 1)[1] for s in rb.segments if isinstance(s, Clip)]


def flow(*groups: str) -> VoiceFixFlow:
    return VoiceFixFlow(
        [GroupTask(i, GroupSpec.uniform(HEX, 4), g) for i, g in enumerate(groups)], EN
    )


def heard(text: str) -> Recognition:
    return Recognition(text=text, confidence=0.8, char_confidence=(0.8,) * len(text))


def state(f: VoiceFixFlow) -> State:
    # A call, so that mypy does not carry one assert's narrowing over to the next step.
    return f.state


def heard_text(f: VoiceFixFlow) -> str | None:
    return f.heard.text if f.heard is not None else None


def say(f: VoiceFixFlow, result: Recognition) -> Readback:
    f.listen()
    assert state(f) is State.LISTENING
    f.stop()
    assert state(f) is State.RECOGNIZING
    return f.recognized(result)


def test_each_group_is_asked_for_read_back_and_confirmed() -> None:
    f = flow("E71D", "5E47")
    assert said(f.start()) == ["group_1", "say_group"]
    rb = say(f, heard("E71D"))
    assert state(f) is State.CONFIRMING
    assert said(rb) == ["heard", "char_E", "char_7", "char_1", "char_D", "is_it_right"]
    assert said(f.right()) == ["confirmed", "group_2", "say_group"]
    assert f.progress == (1, 2)
    say(f, heard("5E47"))
    assert said(f.right()) == ["confirmed", "all_done"]
    assert state(f) is State.DONE
    assert f.task is None
    assert [(r.index, r.text, r.how) for r in f.results] == [
        (0, "E71D", "voice"),
        (1, "5E47", "voice"),
    ]


def test_again_forgets_what_was_heard_and_asks_for_the_same_group() -> None:
    f = flow("E71D")
    f.start()
    say(f, heard("E71B"))
    assert heard_text(f) == "E71B"
    assert said(f.again()) == ["say_again"]
    assert state(f) is State.READY
    assert heard_text(f) is None
    assert f.task is not None
    assert f.task.index == 0
    say(f, heard("E71D"))
    f.right()
    assert f.results[0].text == "E71D"


def test_nothing_heard_asks_again_without_a_readback() -> None:
    f = flow("E71D")
    f.start()
    assert said(say(f, NOTHING)) == ["not_heard", "group_1", "say_group"]
    assert state(f) is State.READY


def test_a_result_outside_the_grammar_is_not_read_back() -> None:
    f = VoiceFixFlow([GroupTask(2, GroupSpec.of(["38", HEX, HEX, HEX]), "3E00")], EN)
    f.start()
    assert said(say(f, heard("BE00")))[0] == "not_heard"
    assert said(say(f, heard("8E00")))[0] == "heard"


def test_after_two_failed_tries_the_picker_is_offered() -> None:
    f = flow("E71D")
    f.start()
    assert "use_picker" not in said(say(f, NOTHING))
    assert said(say(f, heard("E71B")))[0] == "heard"
    assert said(f.again()) == ["say_again", "use_picker"]


def test_picking_or_typing_the_group_counts_as_confirmed() -> None:
    f = flow("E71D", "5E47")
    f.start()
    f.pick("e71d")
    assert f.results[0].how == "picked"
    assert f.results[0].text == "E71D"
    with pytest.raises(ValueError, match="different length"):
        f.pick("5E4")
    f.skip()
    assert state(f) is State.DONE
    assert f.results[1].how == "skipped"
    assert f.results[1].text == "5E47"


def test_a_failed_recording_or_recognizer_asks_again() -> None:
    f = flow("E71D")
    f.start()
    f.listen()
    assert said(f.cancel_listen()) == ["group_1", "say_group"]
    f.listen()
    f.stop()
    f.failed()
    assert state(f) is State.READY


def test_steps_out_of_order_are_refused() -> None:
    f = flow("E71D")
    with pytest.raises(FlowError):
        f.right()
    with pytest.raises(FlowError):
        f.stop()
    f.start()
    f.listen()
    with pytest.raises(FlowError):
        f.listen()
    with pytest.raises(ValueError, match="nothing to fix"):
        VoiceFixFlow([], EN)


def test_only_groups_with_a_flagged_character_are_fixed() -> None:
    pin = get_profile("jd").field("pin")
    tasks = tasks_for_code("E71D5E4733ED50BA", {9: ["8"], 10: [], 13: ["D"]}, pin)
    assert [t.index for t in tasks] == [2, 3]
    assert tasks[0].current == "33ED"
    assert tasks[0].spec.allowed[1] == frozenset("38")
    assert tasks[0].spec.allowed[2] == frozenset(HEX)  # unreadable: the usual alphabet
    assert tasks[1].spec.allowed[1] == frozenset("0D")


def test_an_unusual_letter_that_was_read_stays_sayable() -> None:
    pin = get_profile("jd").field("pin")
    (task,) = tasks_for_code("E71DGE4733ED50BA", {5: ["F"]}, pin)
    assert "G" in task.spec.allowed[0]
    assert "H" not in task.spec.allowed[0]
