"""Saving the `grade` command's work as a session: each answer before it is graded, then its
grade, so an interrupted run loses nothing that was typed."""

from interviewer.domain.grade import Grade
from interviewer.domain.session import SessionMode
from interviewer.store.repo import Store
from interviewer.vocab import GradeStatus, TurnStatus


class GradeRecorder:
    def __init__(self, store: Store, mode: SessionMode, grader: str, banks: list[str]) -> None:
        self.store, self.mode, self.grader, self.banks = store, mode, grader, banks
        self.session_id: str | None = None
        self.question_ids: list[str] = []

    def before(self, question_id: str, prompt: str, answer: str) -> str:
        if self.session_id is None:
            self.session_id = self.store.create_session(
                mode=self.mode, grader=self.grader, banks=self.banks
            ).id
        if question_id not in self.question_ids:
            self.question_ids.append(question_id)
            self.store.update_session(self.session_id, question_ids=self.question_ids)
        turn = self.store.add_turn(self.session_id, question_id=question_id, prompt=prompt)
        self.store.submit_answer(turn.id, answer)
        return turn.id

    def after(self, turn_id: str, grade: Grade) -> None:
        status = TurnStatus.UNGRADED if grade.status == GradeStatus.UNGRADED else TurnStatus.GRADED
        self.store.add_grade(turn_id, grade, status)

    def failed(self, turn_id: str) -> None:
        self.store.update_turn(turn_id, status=TurnStatus.FAILED)

    def finish(self) -> None:
        if self.session_id is not None:
            self.store.update_session(self.session_id, status="finished")
