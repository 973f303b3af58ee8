"""The one declaration of what tfbot does: each question intent and chat command with the role it needs, its
help line and its menu entry. /help, the Telegram command menu and the permission table are read from here."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from intents.answers.budget import answer_budget
from intents.answers.chart import answer_chart
from intents.answers.compute import answer_compute
from intents.answers.contact import answer_contact
from intents.answers.deadline import answer_actions, answer_task_due
from intents.answers.meeting import answer_meeting
from intents.answers.program import answer_program
from intents.answers.search import answer_list
from intents.answers.task import answer_status

ROLES = ("member", "coordinator", "admin")


@dataclass(frozen=True)
class Entry:
    """One thing tfbot does.

    `action` names it in the permission table; `command` is its chat command, if it has one; `menu` its short
    text in Telegram's command menu (None: not listed there); `help` its line in /help — for a question
    intent, the first line of its answer function's docstring.
    """

    action: str
    role: str
    help: str
    command: str | None = None
    menu: str | None = None


def question(fn: Callable[..., object], action: str = "ask") -> Entry:
    """A question intent: asked in words by any member; its help line is its docstring's first line."""
    return Entry(action=action, role="member", help=(fn.__doc__ or "").strip().splitlines()[0])


@dataclass(frozen=True)
class Registry:
    """Every intent and command, in the order /help shows them."""

    entries: tuple[Entry, ...]

    def with_entry(self, entry: Entry) -> "Registry":
        """A registry with one more entry (a new intent registers here and nowhere else)."""
        return replace(self, entries=(*self.entries, entry))

    def role_for(self, action: str) -> str:
        """The least role an action needs."""
        return next(e.role for e in self.entries if e.action == action)

    def commands(self) -> dict[str, str]:
        """Every chat command with its help line."""
        return {e.command: e.help for e in self.entries if e.command}

    def menu(self) -> list[tuple[str, str]]:
        """Telegram's command menu: (command without '/', short Korean description)."""
        return [(e.command.lstrip("/"), e.menu) for e in self.entries if e.command and e.menu]

    def questions(self) -> list[str]:
        """The help lines of the question intents."""
        return [e.help for e in self.entries if not e.command]


REGISTRY = Registry((
    question(answer_contact),
    question(answer_budget),
    question(answer_compute),
    question(answer_program),
    question(answer_status),
    question(answer_task_due),
    question(answer_meeting),
    question(answer_actions),
    question(answer_list),
    question(answer_chart),
    Entry("help", "member", "인사와 사용 안내 (관리자가 보낸 초대 링크로 열면 그 역할로 등록)", "/start",
          "인사와 사용 안내"),
    Entry("help", "member", "물어볼 수 있는 것과 명령어", "/help", "물어볼 수 있는 것과 명령어"),
    Entry("log", "coordinator", "진행상황 기록 (코디네이터): /log <과제명> <N>% <메모>", "/log",
          "과제 진행 기록: /log 과제명 40% 메모"),
    Entry("meeting", "coordinator", "회의 등록 (코디네이터): /meeting <언제> <제목> [@장소] — 반복 회의: /meeting 매주 "
          "화요일 오후 2시 <제목> (격주, 매월 첫째 월요일, 매일, 평일, …까지, N회)", "/meeting",
          "TF 회의 등록: /meeting 12월 3일 오후 2시 회의명"),
    Entry("ask", "member", "예정된 회의 목록", "/meetings", "다가오는 TF 회의"),
    Entry("ask", "member", "그래프: /chart <사업명> (연도·단계별 예산) · /chart 진행 [지역·과제명] (과제 진행 현황)",
          "/chart", "예산·진행 현황 그래프: /chart 국가혁신클러스터"),
    Entry("due", "coordinator", "과제 기한 정하기 (코디네이터): /due <과제명> <날짜> — 말로도: "
          "'부산형 청년창업허브 기한 12월 20일로 해줘'. 지우기: /due <과제명> 삭제", "/due",
          "과제 기한: /due 과제명 12월 20일"),
    Entry("action", "coordinator", "회의 후속조치 기록 (코디네이터): /action <회의명> <담당자> <할 일> [기한] — "
          "회의 알림에 답장하면 회의명 없이", "/action", "후속조치: /action 회의명 담당자 할 일 기한"),
    Entry("undo", "coordinator", "10분 안에 내 마지막 기록 되돌리기 (코디네이터)", "/undo", "방금 한 기록 되돌리기"),
    Entry("correct", "coordinator", "사실 바로잡기 (코디네이터): /correct <이름> <항목> <새 값> — 항목: 전화, 부서, "
          "직급, 기관, 이름, 주소. 말로도: '배은주 사무관 지역산업과로 옮겼어'", "/correct",
          "자료 고치기: /correct 정병찬 전화 044-203-4419"),
    Entry("document", "coordinator", "보도자료 등록 (코디네이터): /document 뒤에 본문을 붙여 넣거나 HWP·HWPX·PDF·TXT "
          "파일 보내기", "/document", "보도자료 등록: /document 본문"),
    Entry("meeting", "coordinator", "회의 일정 변경 (코디네이터): /move <회의명> <새 일시> — 반복 회의는 한 회차만 "
          "(/move <회의명> 12월 15일 → 12월 16일 15시), '이후 모두'나 '전체'를 붙이면 그 뒤 회차나 전체", "/move"),
    Entry("meeting", "coordinator", "회의 취소 (코디네이터): /cancel <회의명> — 반복 회의는 한 회차만 "
          "(/cancel <회의명> 12월 15일), '이후 모두'나 '전체'를 붙이면 그 뒤 회차나 전체", "/cancel"),
    Entry("grant", "admin", "역할 부여 (관리자): /grant <ID> <member|coordinator|admin>", "/grant"),
    Entry("iam", "member", "나를 담당자·기관에 연결 요청: /iam <담당자 이름 또는 기관명> — 관리자가 확인하면 "
          "그 이름으로 과제 알림을 받음 (/iam 만 보내면 지금 연결)", "/iam", "나를 담당자·기관에 연결: /iam 이름"),
    Entry("away", "member", "부재 표시: /away 12월 24일까지 — 그동안 독촉·회의 알림을 개인 대화로 보내지 않음 "
          "(돌아오면 /away 해제)", "/away", "부재 표시: /away 12월 24일까지"),
    Entry("invite", "admin", "초대 링크 만들기 (관리자, 개인 대화에서): /invite member|coordinator — 처음 연 한 사람을 "
          "그 역할로 등록, 정해진 날짜에 만료 (/invite 만 보내면 쓰지 않은 초대 목록)", "/invite"),
    Entry("links", "admin", "확인을 기다리는 /iam 연결 요청과 확인·거절 버튼 (관리자)", "/links"),
    Entry("revoke", "admin", "역할 회수 (관리자): /revoke <ID 또는 이름> — 연결, 열린 선택지, 만든 초대도 함께 끝남",
          "/revoke"),
    Entry("audit", "admin", "감사 기록 보기 (관리자)", "/audit"),
    Entry("export", "member", "데이터를 엑셀 파일로 받기: /export (코디네이터·관리자는 사용자 ID와 감사 기록 포함)",
          "/export", "데이터를 엑셀 파일로 받기"),
    Entry("import", "coordinator", "가져오기 (코디네이터): /template 로 양식을 받아 채운 .xlsx·.csv 파일을 개인 대화로 "
          "보내면 미리보기 후 확인을 누를 때 저장", "/template", "가져오기용 엑셀 양식"),
    Entry("bind", "admin", "이 그룹을 TF 알림 그룹으로 지정 (관리자, 그룹에서)", "/bind"),
))
