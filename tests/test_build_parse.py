"""`bank build`, parsing: each supported layout (Chinese and English), the source article's
quirks on synthetic documents, and the source article itself when it is present."""

import os
from pathlib import Path

import pytest

from interviewer.build.parse import NotADocument, parse_document, similarity, title_of

DATA = Path(__file__).parent / "data" / "build"
ARTICLE = Path(
    os.environ.get(
        "SOURCE_ARTICLE",  # not INTERVIEWER_*: those are settings
        Path(__file__).resolve().parents[2]
        / "shared"
        / "source"
        / "ml-training-interview-qa.zh.txt",
    )
)
ARTICLE_TITLES = [
    "请具体介绍一下L1、L2正则化",
    "过拟合怎么解决",
    "Dropout 有什么作用?训练和推理时怎么用",
    "常见的激活函数及其优缺点",
    "数据不平衡问题如何解决",
    "有哪些学习率调整策略",
    "Warm up一般是在什么情况下使用的",
    "模型压缩有哪些方法,介绍一下",
    "模型陷入局部极小了怎么办",
    "当资源很少时怎么做数据增强",
    "Adam如何设置参数使学习率衰减",
    "为什么出现梯度爆炸,梯度爆炸怎么解决",
    "神经网络权重全 0 初始化会有什么问题?应该怎样初始化?讲讲 Xavier 初始化",
    "现在有哪些归一化方法",
    "学会了哪些网络训练调参技巧",
]


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_document((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the source article (../shared/source) is absent")
def test_the_source_article_gives_its_fifteen_questions() -> None:
    doc = parse_document(ARTICLE.read_text(encoding="utf-8"))
    assert doc.format == "list" and doc.skipped == []
    assert [q.number for q in doc.questions] == list(range(1, 16))
    assert [q.title for q in doc.questions] == ARTICLE_TITLES
    by = {q.number: q for q in doc.questions}
    # question 6: the title comes from the list, not from the repeated heading of question 7
    assert by[6].answer.startswith("• 直接设置初始学习率为0.01或0.001")
    assert "ExponentialLR" in by[6].answer and "Warm up" not in by[6].answer
    assert any("differs from the question list" in n for n in by[6].notes)
    assert by[7].answer.startswith("首先需要介绍一下优化器")
    assert by[1].answer.startswith("正则化主要目的是控制模型复杂度")
    assert by[1].answer.endswith("使权重平滑。")
    assert by[2].answer == "减少参数、early-stop、正则化、drop-out"
    assert "1) pretraining+finetuning" in by[12].answer and by[12].answer.endswith("6) LSTM")
    assert "2.)希望初始化的权重是高斯分布" in by[13].answer
    assert by[14].link_only and by[14].answer == "[大模型面经——大模型中用到的归一化方法总结]"
    # the last answer ends with its last bullet: nothing of the promotional tail
    assert by[15].answer.endswith("灵活调整kl_loss与kd_loss")
    everything = "\n".join(q.answer for q in doc.questions)
    for tail in ("风口", "插入图片", "学习路线", "余额", "LangChain", "如何学习AI大模型"):
        assert tail not in everything
    assert all(q.lang == "zh" for q in doc.questions)


def test_list_layout_zh_with_the_articles_quirks() -> None:
    doc = parse("list-zh.txt")
    assert doc.format == "list"
    assert [(q.number, q.title) for q in doc.questions] == [
        (1, "批归一化(BN)的作用是什么"),
        (2, "梯度消失怎么解决"),
        (3, "学习率太大会怎样"),  # its heading repeats question 4's title
        (4, "Adam 和 SGD 有什么区别"),
        (5, "什么是标签平滑"),  # listed as "  1." (a renumbered Markdown list)
    ]
    q = {x.number: x for x in doc.questions}
    assert q[3].answer.startswith("学习率太大时损失会震荡") and q[3].notes
    assert q[2].answer.splitlines() == [
        "• 使用 ReLU 等不饱和的激活函数",
        "• 残差连接让梯度直接回传",
        "• 合理的权重初始化,例如 He 初始化",
    ]
    assert q[4].answer.endswith("1) 配合动量通常泛化更好\n2.)在大模型训练中常用 AdamW")
    assert q[5].link_only and q[5].answer == "[深度学习技巧——标签平滑详解]"
    assert all("扫码" not in x.answer and "机会" not in x.answer for x in doc.questions)


def test_list_layout_en_markdown() -> None:
    doc = parse("list-en.md")
    assert doc.format == "list"
    assert [q.title for q in doc.questions] == [
        "What is overfitting",
        "Why do we use dropout",
        "How does weight decay work",  # the answer's heading says something else
        "What is early stopping",
    ]
    last = doc.questions[-1]
    assert last.answer.endswith("keep the best checkpoint.") and "Subscribe" not in last.answer
    assert doc.questions[0].question == "What is overfitting?"
    assert all(q.lang == "en" for q in doc.questions)


@pytest.mark.parametrize(
    ("name", "layout", "titles", "first_answer"),
    [
        (
            "headings-zh.md",
            "headings",
            ["什么是学习率预热", "为什么要做梯度裁剪", "混合精度训练有什么好处"],
            "训练刚开始时把学习率从很小的值逐步增加到目标值。这样可以避免训练初期的不稳定。",
        ),
        (
            "headings-en.md",
            "headings",
            [
                "What does the scaling factor in attention do",
                "Why multi-head attention",
                "Why use layer normalization instead of batch normalization",
            ],
            "Dividing the dot products by the square root of the key dimension keeps the "
            "softmax from saturating, so gradients stay usable.",
        ),
        (
            "numbered-en.txt",
            "numbered",
            [
                "What is momentum in SGD",
                "What does a learning rate scheduler do",
                "Why normalise input features",
            ],
            "Momentum keeps an exponential moving average of past gradients and steps along "
            "it, which damps oscillations.",
        ),
        (
            "numbered-zh.txt",
            "numbered",
            ["什么是交叉熵损失", "为什么分类不用均方误差", "什么是 Focal Loss"],
            "交叉熵衡量预测分布与真实分布之间的差异,常用于分类任务。",
        ),
        (
            "qa-en.txt",
            "qa",
            ["What is a confusion matrix", "When is accuracy misleading", "What is the ROC curve"],
            "A table of predicted classes against true classes. The diagonal holds the "
            "correct predictions.",
        ),
        ("qa-zh.txt", "qa", ["什么是精确率", "什么是召回率"], "预测为正的样本中真正为正的比例。"),
        # Chinese numerals, under a title heading that is not a question
        (
            "cn-numerals-zh.txt",
            "numbered",
            ["什么是梯度消失", "如何缓解梯度消失", "交叉熵为什么适合分类"],
            "深层网络反向传播时梯度越来越小。",
        ),
        (
            "mianjing-zh.md",
            "numbered",
            [
                "BatchNorm 和 LayerNorm 有什么区别",
                "为什么 Transformer 要除以根号 d_k",
                "介绍一下 Adam 优化器",
            ],
            "BN 在 batch 维度上做归一化，依赖 batch size；LN 在特征维度上做归一化，不依赖 "
            "batch。\nTransformer 里一般用 LN。",
        ),
        # a bold line per question
        (
            "bold-questions-zh.md",
            "headings",
            ["什么是梯度消失", "如何缓解梯度消失", "交叉熵为什么适合分类"],
            "深层网络反向传播时梯度越来越小。",
        ),
    ],
)
def test_each_layout_in_both_languages(
    name: str, layout: str, titles: list[str], first_answer: str
) -> None:
    doc = parse(name)
    assert doc.format == layout
    assert [q.title for q in doc.questions] == titles
    assert [q.number for q in doc.questions] == list(range(1, len(titles) + 1))
    assert doc.questions[0].answer == first_answer
    lang = "zh" if name.endswith(("zh.md", "zh.txt")) else "en"
    assert {q.lang for q in doc.questions} == {lang}


@pytest.mark.parametrize(
    ("name", "titles", "first_answer"),
    [
        (
            "toc-en.md",
            [
                "What is overfitting",
                "Which model compression methods do you know",
                "Why is warmup needed",
            ],
            "The model fits training data well but generalizes poorly.\nSigns:\n"
            "1. Low training error.\n2. High validation error.",
        ),
        (
            "toc-zh.txt",
            ["什么是过拟合", "模型压缩有哪些方法", "为什么需要 warmup", "BN 和 LN 的区别"],
            "模型在训练集上表现很好，但在测试集上表现差。\n1. 训练误差低\n2. 验证误差高\n"
            "3. 泛化能力差",
        ),
    ],
)
def test_a_question_list_ends_where_the_answers_start(
    name: str, titles: list[str], first_answer: str
) -> None:
    # the first answer's heading follows the list after a blank line: it is no fourth item
    doc = parse(name)
    assert doc.format == "list" and doc.skipped == []
    assert [q.title for q in doc.questions] == titles
    assert doc.questions[0].answer == first_answer
    assert not any(q.notes for q in doc.questions[:-1])


@pytest.mark.parametrize(
    ("name", "titles", "first_answer_lines", "second_answer_ends"),
    [
        # "1）" items (another style) inside answers numbered "1."
        (
            "sublist-paren-zh.txt",
            ["模型压缩有哪些方法", "为什么需要 warmup"],
            6,
            "先用小学习率预热。",
        ),
        # a sub-list restarting at 1, its items followed by their explanations
        (
            "sublist-items-en.txt",
            [
                "What regularization techniques do you know",
                "Why does batch normalization help training",
            ],
            8,
            "allows larger learning rates.",
        ),
        # sub-lists of the same style; "3. Warmup ..." could go on either list
        (
            "sublist-same-style-en.txt",
            [
                "How do you handle class imbalance",
                "What learning rate schedules do you know",
                "How do you initialize the weights of a deep network",
            ],
            5,
            "3. Warmup followed by linear decay.\n4. One-cycle policy.",
        ),
        # a Markdown nested list: the sub-items are indented
        (
            "sublist-indented-en.md",
            [
                "How do you handle class imbalance",
                "What learning rate schedules do you know",
                "How do you initialize the weights of a deep network",
            ],
            3,
            "1. Step decay.\n2. Cosine annealing.",
        ),
    ],
)
def test_numbered_sub_lists_stay_in_their_answers(
    name: str, titles: list[str], first_answer_lines: int, second_answer_ends: str
) -> None:
    doc = parse(name)
    assert doc.format == "numbered" and doc.skipped == []
    assert [q.title for q in doc.questions] == titles
    assert [q.number for q in doc.questions] == list(range(1, len(titles) + 1))
    assert len(doc.questions[0].answer.splitlines()) == first_answer_lines
    assert doc.questions[1].answer.endswith(second_answer_ends)


def test_fenced_code_is_no_heading_and_is_kept_as_written() -> None:
    doc = parse("code-en.md")
    assert doc.format == "headings"
    assert [q.title for q in doc.questions] == [
        "What is the difference between L1 and L2 regularization",
        "How do you implement softmax in a numerically stable way",
    ]
    assert "# L2 penalty\nloss = mse(y, y_hat)" in doc.questions[0].answer
    # indentation and a blank line inside the code survive; nothing outside it moves
    assert doc.questions[1].answer == (
        "Subtract the max before exponentiating:\n```python\ndef softmax(x):\n"
        "    z = x - x.max(axis=-1, keepdims=True)\n\n    e = np.exp(z)\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n```\nThis avoids overflow in exp."
    )


def test_answers_keep_their_indentation_beyond_what_they_share() -> None:
    q = parse("nested-en.md").questions[0]
    assert q.answer.splitlines()[:3] == [
        "- BatchNorm",
        "  - normalizes over the batch dimension",
        "  - depends on batch size",
    ]
    doc = parse_document(
        "1. What is A?\n\n    A is a letter:\n\n        print(a)\n\n2. What is B?\n    B too.\n"
    )
    assert doc.questions[0].answer == "A is a letter:\n    print(a)"


@pytest.mark.parametrize(
    ("name", "last_line"),
    [
        ("discount-en.md", "A common choice is 0.99."),  # "discount" is ML vocabulary
        (
            "tail-en.md",
            "In AdamW it is decoupled from the gradient-based update, which matters with "
            "adaptive optimizers.",
        ),
        ("tail-zh.md", "在 AdamW 中它与梯度更新解耦，对自适应优化器更合理。"),
    ],
)
def test_only_promotional_lines_end_the_last_answer(name: str, last_line: str) -> None:
    doc = parse(name)
    assert doc.skipped == [] and len(doc.questions) == 2
    assert doc.questions[-1].answer.splitlines()[-1] == last_line


def test_sections_that_are_not_questions_and_sub_lists() -> None:
    zh = parse("headings-zh.md")
    assert "参考资料" not in [q.title for q in zh.questions]
    en = parse("numbered-en.txt")
    # a numbered sub-list inside an answer stays in the answer
    assert en.questions[1].answer.endswith("3) linear warmup followed by decay")
    qa = parse("qa-en.txt")
    assert qa.questions[1].answer.endswith("Use precision, recall or F1 instead.")


def test_qa_with_numbers_and_multiline_questions() -> None:
    doc = parse_document(
        "Q3: What is\nbatch size?\nA: How many examples per step.\n\n"
        "Q7: What is an epoch?\nAnswer: One pass over the data.\n"
    )
    assert [(q.number, q.question) for q in doc.questions] == [
        (3, "What is batch size?"),
        (7, "What is an epoch?"),
    ]


def test_a_question_without_an_answer_is_skipped_with_the_reason() -> None:
    doc = parse_document(
        "1. What is A?\nA is a letter.\n\n2. What is B?\nB is too.\n\n3. What is C?\n"
    )
    assert [q.number for q in doc.questions] == [1, 2]
    doc = parse_document("## What is A?\nA is a letter.\n\n## What is B?\n\n## What is C?\nC.\n")
    assert [q.title for q in doc.questions] == ["What is A", "What is C"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "Just some prose without any questions.\nAnd another line.",
        "1. only one",
        # one heading that asks nothing, over prose: a diary is no question
        "# My summer trip\n\nWe went to the mountains in July.\n\nThe food was excellent.\n",
    ],
)
def test_undetectable_documents_raise(text: str) -> None:
    with pytest.raises(NotADocument):
        parse_document(text)


def test_title_helpers() -> None:
    assert title_of("  过拟合怎么解决? ") == "过拟合怎么解决"
    assert title_of("See [the post](http://x.y) now.") == "See the post now"
    assert similarity("Dropout 有什么作用?", "Dropout 有什么作用?训练和推理时怎么用?") > 0.85
    assert similarity("有哪些学习率调整策略", "Warm up一般是在什么情况下使用的") < 0.3
