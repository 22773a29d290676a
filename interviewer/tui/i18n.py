"""Interface strings in Chinese and English."""

STRINGS: dict[str, dict[str, str]] = {
    "next_review": {
        "en": "Question {n} rated {rating}; next review {date}.",
        "zh": "第 {n} 题评级:{rating};下次复习 {date}。",
    },
    "skipped_col": {"en": "skipped", "zh": "已跳过"},
    "rating_again": {"en": "Again", "zh": "重来"},
    "rating_hard": {"en": "Hard", "zh": "困难"},
    "rating_good": {"en": "Good", "zh": "良好"},
    "rating_easy": {"en": "Easy", "zh": "简单"},
    "title": {
        "en": "interviewer: ML / LLM-training mock interview",
        "zh": "interviewer:机器学习 / 大模型训练模拟面试",
    },
    "loading": {"en": "Loading the question bank...", "zh": "正在加载题库……"},
    "start": {"en": "Start interview", "zh": "开始面试"},
    "resume": {"en": "Resume", "zh": "继续"},
    "selection": {"en": "Questions", "zh": "题目"},
    "all": {"en": "All questions, in order", "zh": "全部题目,按顺序"},
    "random": {"en": "Random N", "zh": "随机 N 题"},
    "by_tag": {"en": "By tag", "zh": "按标签"},
    "chosen": {"en": "Chosen (e.g. 1,3,7)", "zh": "指定题号(如 1,3,7)"},
    "selection_value": {"en": "N, tag or list", "zh": "N、标签或题号"},
    "grader": {"en": "Grader", "zh": "评分器"},
    "offline": {"en": "offline (keyword grader, no model)", "zh": "离线(关键词评分,无需模型)"},
    "language": {"en": "Interface language", "zh": "界面语言"},
    "depth": {"en": "Follow-ups per question", "zh": "每题追问次数"},
    "time_limit": {"en": "Time limit per question (s, optional)", "zh": "每题时限(秒,可选)"},
    "unfinished": {"en": "Unfinished sessions", "zh": "未完成的会话"},
    "none_unfinished": {"en": "none", "zh": "无"},
    "checking": {"en": "checking...", "zh": "检查中……"},
    "reachable": {"en": "reachable ({ms} ms)", "zh": "可连接({ms} 毫秒)"},
    "unreachable": {"en": "not reachable: {error}", "zh": "无法连接:{error}"},
    "progress": {"en": "Question {k} of {n}", "zh": "第 {k}/{n} 题"},
    "overtime": {"en": "overtime", "zh": "超时"},
    "follow_up": {"en": "Follow-up {k} of {budget}", "zh": "追问 {k}/{budget}"},
    "you": {"en": "You", "zh": "你"},
    "interviewer": {"en": "Interviewer", "zh": "面试官"},
    "grading": {"en": "Grading with {grader}...", "zh": "正在用 {grader} 评分……"},
    "failed": {
        "en": "Grading failed: {error}. Your answer is saved: ctrl+g regrade, ctrl+o offline grade.",
        "zh": "评分失败:{error}。回答已保存:ctrl+g 重新评分,ctrl+o 使用离线评分。",
    },
    "ungraded": {
        "en": "The model's reply could not be used; the answer is saved. ctrl+g regrade, ctrl+o offline grade.",
        "zh": "模型的回复无法使用,回答已保存。ctrl+g 重新评分,ctrl+o 使用离线评分。",
    },
    "cancelled": {
        "en": "Grading cancelled; what arrived is kept. ctrl+g to grade again.",
        "zh": "已取消评分,已收到的部分已保存。ctrl+g 重新评分。",
    },
    "sufficient": {
        "en": "The answer is sufficient. ctrl+n for the next question.",
        "zh": "回答充分。ctrl+n 下一题。",
    },
    "budget_spent": {
        "en": "Follow-up budget spent (not a pass). ctrl+n for the next question.",
        "zh": "追问次数已用完(不代表通过)。ctrl+n 下一题。",
    },
    "exhausted": {
        "en": "No more follow-ups here. ctrl+n for the next question.",
        "zh": "这道题没有更多追问。ctrl+n 下一题。",
    },
    "skipped": {
        "en": "Skipped (scores 0). ctrl+n for the next question.",
        "zh": "已跳过(记 0 分)。ctrl+n 下一题。",
    },
    "moved_on": {
        "en": "Moved on; the follow-up is recorded as skipped.",
        "zh": "已进入下一题,未答的追问记为跳过。",
    },
    "hint": {"en": "Hint: {text}", "zh": "提示:{text}"},
    "review_filter": {
        "en": "Search, or filter: grader:offline q:dropout since:2026-11-01 score>=6",
        "zh": "搜索,或筛选:grader:offline q:dropout since:2026-11-01 score>=6",
    },
    "review_count": {
        "en": "{n} session(s). ctrl+e export HTML, ctrl+u resume, escape back.",
        "zh": "共 {n} 个会话。ctrl+e 导出 HTML,ctrl+u 继续,escape 返回。",
    },
    "exported": {"en": "Exported to {path}", "zh": "已导出到 {path}"},
    "not_resumable": {
        "en": "Only an unfinished interview can be resumed.",
        "zh": "只能继续未完成的面试。",
    },
    "review": {"en": "Review past sessions", "zh": "查看历史记录"},
    "no_open_turn": {
        "en": "No question is waiting for an answer: ctrl+n next, ctrl+g regrade.",
        "zh": "当前没有待回答的问题:ctrl+n 下一题,ctrl+g 重新评分。",
    },
    "no_hint": {
        "en": "No more hints (hints are for the main answer, before you submit).",
        "zh": "没有更多提示(提示仅在提交主回答前可用)。",
    },
    "reference": {"en": "Reference answer", "zh": "参考答案"},
    "empty_answer": {
        "en": "Type an answer first (ctrl+k skips the question).",
        "zh": "请先输入回答(ctrl+k 跳过此题)。",
    },
    "placeholder": {
        "en": "Type your answer here; ctrl+s submits.",
        "zh": "在这里输入回答,ctrl+s 提交。",
    },
    "summary": {"en": "Summary", "zh": "总结"},
    "verdict": {
        "en": "Overall: {verdict}, average {average}/10 ({answered} answered, {skipped} skipped)",
        "zh": "总体:{verdict},平均 {average}/10(作答 {answered} 题,跳过 {skipped} 题)",
    },
    "by_tag_avg": {"en": "By tag", "zh": "按标签"},
    "strengths": {"en": "Strengths", "zh": "强项"},
    "gaps": {"en": "Gaps", "zh": "待加强"},
    "gaps_jump": {"en": "Enter on one shows its answers", "zh": "回车查看相应的回答"},
    "saved_in": {
        "en": "Transcript saved in {path} (session {id}).",
        "zh": "记录保存在 {path}(会话 {id})。",
    },
    "help_title": {"en": "Keys", "zh": "快捷键"},
    "choose_grader": {"en": "Regrade with which grader?", "zh": "用哪个评分器重新评分?"},
    "question_col": {"en": "Question", "zh": "题目"},
    "score_col": {"en": "Score", "zh": "得分"},
    "follow_col": {"en": "Follow-ups", "zh": "追问"},
    "due_mode": {"en": "Due for review", "zh": "到期复习"},
    "weakest_mode": {"en": "Weakest N (lowest recent scores)", "zh": "最弱的 N 题(近期得分最低)"},
    "due_count": {
        "en": "{n} question(s) due for review: choose 'Due for review' above.",
        "zh": "{n} 道题到了复习时间:在上方选择「到期复习」。",
    },
    "nothing_due": {"en": "Nothing is due for review.", "zh": "暂时没有需要复习的题。"},
    "progress_button": {"en": "Progress", "zh": "进度"},
    "stats_headline": {
        "en": "{practised} of {total} questions practised ({attempts} answers); {due} due for review now.",
        "zh": "已练习 {practised}/{total} 题(共作答 {attempts} 次);现在有 {due} 题需要复习。",
    },
    "stats_chart": {"en": "Average score per day ({span})", "zh": "每日平均分({span})"},
    "stats_empty": {
        "en": "No interview answers yet: start an interview from the home screen.",
        "zh": "还没有面试作答记录:从首页开始一场面试。",
    },
    "answers_col": {"en": "Answers", "zh": "作答"},
    "last_col": {"en": "Last", "zh": "最近"},
    "best_col": {"en": "Best", "zh": "最佳"},
    "trend_col": {"en": "Trend", "zh": "趋势"},
    "next_col": {"en": "Next review", "zh": "下次复习"},
    "due_now": {"en": "due now", "zh": "现在"},
    "tag_col": {"en": "Tag", "zh": "标签"},
    "practised_col": {"en": "Practised", "zh": "已练习"},
    "average_col": {"en": "Average", "zh": "平均"},
    "due_col": {"en": "Due", "zh": "到期"},
}
VERDICTS = {
    "strong": {"en": "strong", "zh": "优秀"},
    "ready": {"en": "ready", "zh": "可以面试"},
    "needs work": {"en": "needs work", "zh": "还需准备"},
}


def tr(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key]["zh" if lang == "zh" else "en"]
    return text.format(**values) if values else text


# Key labels (footer, help, command palette): the bindings are declared in English.
KEY_LABELS_ZH = {
    "Export HTML": "导出 HTML",
    "Regrade": "重新评分",
    "Skip": "跳过",
    "Next": "下一题",
    "Offline grade": "离线评分",
    "Quit": "退出",
    "Reveal": "参考答案",
    "Submit": "提交",
    "Hint": "提示",
    "Resume": "继续",
    "Open": "打开",
    "Back": "返回",
    "Cancel grade": "取消评分",
    "Cancel": "取消",
    "Close": "关闭",
    "Progress": "进度",
    "Help": "帮助",
}


def key_label(description: str, lang: str) -> str:
    return KEY_LABELS_ZH.get(description, description) if lang == "zh" else description
