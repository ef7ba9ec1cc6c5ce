"""Each extraction rule on a short inline example."""
from __future__ import annotations

import re

import pytest

from officialgraph.loaders import dates
from officialgraph.loaders.extract import extract_page, parse_byline
from officialgraph.loaders.names import name_at
from officialgraph.loaders.titles import parse_chain, split_region


def people(text: str, **kwargs) -> dict[str, dict]:
    [record] = extract_page(text, "page.txt", **kwargs)
    return {a.person: a for e in record.events for a in e.appearances}


def test_title_chain_gives_three_titles_and_one_region():
    found = people("本报讯 11月27日,高新区党工委书记、管委会主任、安委会主任王新亭出席会议。")
    chain = found["王新亭"].titles
    assert [t.text for t in chain] == ["高新区党工委书记", "管委会主任", "安委会主任"]
    assert [t.organization for t in chain] == ["高新区党工委", "高新区管委会", "高新区安委会"]
    assert found["王新亭"].region == "高新区"


def test_shared_title_goes_to_each_listed_name():
    found = people("本报讯 1月5日,会议召开。航空港实验区管委会副主任王春山、魏学彬出席会议。")
    assert [t.text for t in found["魏学彬"].titles] == ["航空港实验区管委会副主任"]
    assert found["王春山"].roles == found["魏学彬"].roles == ("attend",)


def test_name_list_closed_by_deng_keeps_non_han_names():
    found = people("本报讯 11月17日,新郑市召开动员会。新郑市领导王智明、才旦加等参加会议。")
    assert set(found) == {"王智明", "才旦加"}


def test_rare_character_names():
    assert name_at("董事长康省楨到会", 3) == "康省楨"


@pytest.mark.parametrize("text,expected", [
    ("沈立代表双方", "沈立"),
    ("马宏伟主持", "马宏伟"),
    ("张伟说，", "张伟"),
    ("欧阳明华出席", "欧阳明华"),
    ("及相关负责人", None),
    # a one-character follower read as the last character of the name when a verb comes next
    ("刘永和出席会议", "刘永和"),
    ("王春来主持会议", "王春来"),
    ("王伟和李强出席", "王伟"),
    ("王伟来到社区", "王伟"),
    ("李向阳出席", "李向阳"),
    ("王伟向大会报告", "王伟"),
])
def test_name_boundaries(text, expected):
    assert name_at(text, 0) == expected


@pytest.mark.parametrize("sentence,roles", [
    ("会议由新郑市委副书记、市长马宏伟主持。", ("host",)),
    ("高新区人大工委主任张良才参加并做讲话。", ("attend", "speak")),
    ("会上，团工委书记孔凡彪作了题为《坚持规划引领》的报告。", ("report",)),
    ("管委会副主任魏学彬到社区服务中心调研督导疫情防控工作。", ("inspect",)),
    ("集团副总经理康书霞代表双方签订战略合作协议。", ("sign",)),
    ("腾讯集团高级副总裁丁柯接待了考察组一行。", ("receive",)),
    ("新郑市领导马志峰在分会场收听收看会议实况。", ("attend",)),
    ("市政府副市长周建超通报了推进情况。", ("report",)),
])
def test_roles_come_from_the_verb(sentence, roles):
    found = people("本报讯 11月13日,新郑市召开推进会。" + sentence)
    [appearance] = found.values()
    assert appearance.roles == roles


def test_listening_to_a_report_is_not_reporting():
    found = people("本报讯 1月11日,管委会副主任魏学彬到社区调研。魏学彬认真听取负责人工作汇报。")
    assert "report" not in found["魏学彬"].roles


def test_the_receiver_of_a_report_does_not_report():
    found = people("本报讯 12月10日,高新区党工委书记王新亭到社区调研。社区党总支书记姜洁向王新亭汇报了工作。")
    assert "report" in found["姜洁"].roles
    assert "report" not in found["王新亭"].roles


def test_relayed_instructions_are_not_appearances():
    found = people("本报讯 11月15日,高新区召开会议。会议传达了国务院总理李克强的重要批示。"
                   "会议传达学习了省委书记楼阳生的讲话精神。高新区党工委书记王新亭主持会议。")
    assert set(found) == {"王新亭"}


def test_journalists_are_bylines_not_appearances():
    [record] = extract_page("本报讯 11月24日,区长王伟出席会议。\n记者 王军方 通讯员 杨宇 薄向波", "p.txt")
    assert record.reporters == ("王军方",) and record.correspondents == ("杨宇", "薄向波")
    assert [a.person for a in record.events[0].appearances] == ["王伟"]


def test_byline_parsing():
    assert parse_byline("记者 王军方 通讯员 聂斌 马国樑 栾杰 文/图") == (("王军方",), ("聂斌", "马国樑", "栾杰"))
    assert parse_byline("本报记者李明") == (("李明",), ())


def test_evidence_is_the_page_text_at_its_offsets():
    page = "本报讯 11月15日，航空港\n实验区召开会议。会议由航空港实验区党工\n委书记张俊峰主持。"
    [record] = extract_page(page, "p.txt")
    [appearance] = record.events[0].appearances
    raw = page[appearance.evidence_start:appearance.evidence_end]
    assert re.sub(r"\s", "", raw) == appearance.evidence
    assert appearance.evidence == "会议由航空港实验区党工委书记张俊峰主持"


def test_year_from_a_season_range():
    [record] = extract_page("本报讯 11月24日，高新区召开2021~2022年秋冬季大气污染防治攻坚动员会。", "p.txt")
    assert record.date == "2021-11-24" and record.date_precision == "day-year-inferred"


def test_year_from_a_datable_reference_after_new_year():
    [record] = extract_page("本报讯 1月5日，区委召开会议，学习党的十九届六中全会精神。", "p.txt")
    assert record.date == "2022-01-05"


def test_month_day_without_any_clue():
    [record] = extract_page("本报讯 3月2日，区委召开会议。", "p.txt")
    assert record.date == "03-02" and record.date_precision == "month-day"


def test_user_date_and_file_name_date_give_the_year():
    [record] = extract_page("本报讯 12月30日，区委召开会议。", "p.txt", page_date="2024-01-02")
    assert record.date == "2023-12-30" and record.year_basis == "user"
    [record] = extract_page("本报讯 3月2日，区委召开会议。", "2016-03-04_p01.txt")
    assert record.date == "2016-03-02" and record.year_basis == "filename"


def test_undated_article():
    [record] = extract_page("本报讯 近日，区委召开会议。", "p.txt")
    assert record.date is None and record.date_precision == "none"


def test_explicit_year_in_the_lead():
    day = dates.lead_date("2020年12月7日，高新区召开会议")
    assert (day.year, day.month, day.day) == (2020, 12, 7)


def test_region_split_and_relative_levels():
    assert split_region("航空港实验区党工委") == ("航空港实验区", "党工委")
    assert split_region("春藤社区党总支") == (None, "春藤社区党总支")
    assert split_region("新型城镇化工作领导小组")[0] is None
    [title] = parse_chain(["区党工委委员"], "高新区")
    assert title.organization == "高新区党工委" and title.post == "委员"


def test_event_name_kind_and_place():
    [record] = extract_page("本报讯 11月26日,王军在石佛村改造项目会议室组织召开新型城镇化工作领导小组会议。", "p.txt")
    event = record.events[0]
    assert event.name == "新型城镇化工作领导小组会议"
    assert event.kind == "meeting"
    assert event.location == "石佛村改造项目会议室"


def test_byline_in_the_lead_brackets_and_other_marks():
    [record] = extract_page("本报郑州11月24日讯（记者 张三 通讯员 李四）11月23日上午，区委书记王大明主持召开常委会会议。", "p.txt")
    assert record.reporters == ("张三",) and record.correspondents == ("李四",)
    assert record.date == "11-23"
    assert [a.person for a in record.events[0].appearances] == ["王大明"]
    assert parse_byline("■本报记者 李明 文/图") == (("李明",), ())
    assert parse_byline("文/张三 图/李四") == (("张三",), ())


def test_untitled_names_right_before_a_role_verb():
    found = people("本报讯 11月23日，区委召开常委会会议，会议由王大明主持。张三丰、李四等市领导出席。全区上下参加培训。")
    assert {name: a.roles for name, a in found.items()} == {"王大明": ("host",), "张三丰": ("attend",), "李四": ("attend",)}


def test_a_name_the_page_titles_elsewhere_is_found_without_its_title():
    page = ("本报讯 11月2日，区委书记王大明出席会议。\n记者 周五\n\n"
            "本报讯 11月3日，王大明到社区调研。\n记者 周五")
    records = extract_page(page, "p.txt")
    assert [a.person for a in records[1].events[0].appearances] == ["王大明"]


def test_pages_without_leads_split_after_bylines():
    page = "区长王伟出席会议。记者 张三\n\n副区长李强到企业调研。\n记者 张三"
    records = extract_page(page, "p.txt")
    assert [[a.person for a in r.events[0].appearances] for r in records] == [["王伟"], ["李强"]]


def test_relative_dates_read_against_the_page_date():
    [record] = extract_page("本报讯 昨日，区委召开会议。", "2016-03-05_p01.txt")
    assert record.date == "2016-03-04"
    [record] = extract_page("本报讯 24日上午，区委召开会议。", "2016-03-05_p01.txt")
    assert record.date == "2016-02-24"


def test_transliterated_name_keeps_its_middle_dot():
    found = people("本报讯 5月3日，自治区副主席买买提·艾力出席会议。")
    assert list(found) == ["买买提·艾力"]


def test_whom_an_official_receives_was_there():
    found = people("本报讯 4月2日，市长王成会见了来访的德国西门子公司全球副总裁马丁·施密特一行。")
    assert found["王成"].roles == ("receive",)
    assert found["马丁·施密特"].roles == ("attend",)
    assert [t.text for t in found["马丁·施密特"].titles] == ["德国西门子公司全球副总裁"]


def test_a_listed_item_with_its_own_title_is_not_a_bare_name():
    found = people("本报讯 3月2日，集团董事长徐玲铮、党群工作部副部长郭燕胜出席会议。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "徐玲铮": ["集团董事长"], "郭燕胜": ["党群工作部副部长"]}


def test_four_syllable_transliterated_name_before_a_verb():
    assert list(people("本报讯 3月2日，副区长吐尔扎提出席会议。")) == ["吐尔扎提"]


@pytest.mark.parametrize("sentence", ["高新区组织召开攻坚动员会。", "马寨镇组织召开推进会。",
                                      "常庄村组织召开村民代表大会。", "史志办组织召开座谈会。"])
def test_a_place_or_office_before_a_role_verb_is_not_a_person(sentence):
    assert set(people(f"本报讯 11月28日,{sentence}区长王伟出席会议。")) == {"王伟"}


def test_a_title_chain_may_open_a_paragraph():
    found = people("本报讯 11月28日,区里召开会议。\n市政府副秘书长,高新区党工委副书记、管委会常务副主任张红军出席会议。")
    assert [t.text for t in found["张红军"].titles] == ["市政府副秘书长", "高新区党工委副书记", "管委会常务副主任"]


@pytest.mark.parametrize("post", ["副州长", "旗长", "政委", "教授", "馆长", "市长助理", "一级巡视员", "首席执行官"])
def test_posts_beyond_party_and_government(post):
    found = people(f"本报讯 11月28日,{post}冯军出席会议。")
    assert [t.text for t in found["冯军"].titles] == [post]


def test_media_centre_bylines_and_a_lead_that_says_who_reported():
    [record] = extract_page("本报讯 11月28日,副市长王伟出席会议。\n全媒体记者 张三 见习记者 李四", "p.txt")
    assert record.reporters == ("张三", "李四")
    [record] = extract_page("本报讯 记者张三 通讯员李四报道：11月28日,副市长王伟出席会议。", "p.txt")
    assert (record.reporters, record.correspondents, record.date) == (("张三",), ("李四",), "11-28")
    assert [a.person for a in record.events[0].appearances] == ["王伟"]
    assert parse_byline("融媒体记者 王五") == (("王五",), ())


@pytest.mark.parametrize("sentence", ["出席会议的还有副市长王伟、李强。", "参加会议的有市委常委、宣传部部长王伟，副市长李强等。",
                                      "与会的还有副市长王伟、秘书长李强。"])
def test_names_after_the_verb_that_lists_them_attend(sentence):
    found = people(f"本报讯 11月28日,市里召开安全生产会议。市长张明主持会议。{sentence}")
    assert {name: a.roles for name, a in found.items()} == {"张明": ("host",), "王伟": ("attend",), "李强": ("attend",)}
    assert not any(t.text.startswith(("还有", "有")) for a in found.values() for t in a.titles)


@pytest.mark.parametrize("sentence", ["在市委书记李强的陪同下，省长王伟调研了企业。", "省长王伟在市委书记李强陪同下调研企业。"])
def test_the_escort_attends_and_the_escorted_inspects(sentence):
    found = people(f"本报讯 11月28日,{sentence}")
    assert {name: a.roles for name, a in found.items()} == {"王伟": ("inspect",), "李强": ("attend",)}
    assert [t.text for t in found["李强"].titles] == ["市委书记"]


def test_two_character_names_that_are_also_words_after_a_post():
    found = people("本报讯 11月28日,市里召开会议。副市长高峰、副局长白雪、主任林立出席会议。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "高峰": ["副市长"], "白雪": ["副局长"], "林立": ["主任"]}
    # ...but not an adverb where no name follows the post
    assert set(people("本报讯 11月28日,区委书记王伟主持会议，副区长全程参加。")) == {"王伟"}


def test_an_adverb_between_name_and_verb_ends_the_name():
    found = people("本报讯 11月28日,区委书记王伟全程参加会议，副区长李强一起调研。")
    assert {name: a.roles for name, a in found.items()} == {"王伟": ("attend",), "李强": ("inspect",)}


def test_minority_names_and_rare_surnames_in_a_titled_list():
    found = people("本报讯 11月28日,会议召开。副县长阿不都热依木、州委书记吉狄马加、主任禤国、副局长亓伟出席会议。")
    assert {name: a.roles for name, a in found.items()} == {
        "阿不都热依木": ("attend",), "吉狄马加": ("attend",), "禤国": ("attend",), "亓伟": ("attend",)}


@pytest.mark.parametrize("lead,date", [
    ("12月28日,区委召开常委会会议，安排部署2021年重点工作。", "2020-12-28"),  # planning the coming year
    ("1月5日,区委召开会议，回顾2020年工作。", "2021-01-05"),  # reviewing the year just ended
    ("1月5日,区委召开会议，部署2021年重点工作。", "2021-01-05"),
    ("6月20日,区委召开会议，推进2020年重点项目建设。", "2020-06-20"),
])
def test_a_year_next_to_planning_or_review_words_points_to_its_start_or_end(lead, date):
    [record] = extract_page(f"本报讯 {lead}区委书记王伟主持会议。", "page.txt")
    assert record.date == date


def test_a_day_in_the_lead_is_read_against_the_dateline():
    [record] = extract_page("本报11月28日讯（记者 郑晓）27日下午，市委书记韩立新会见了客人。", "p.txt")
    assert record.date == "11-27"
    [record] = extract_page("本报11月28日讯（记者 郑晓）市委书记韩立新会见了客人。", "p.txt")
    assert record.date == "11-28"  # no day of its own: the dateline's


def test_the_masthead_date_dates_the_page():
    page = "青溪报\n2024年1月3日 星期三\n\n本报讯 12月29日，县委书记周卫东主持召开会议。\n\n本报讯 昨天，县长李晓燕出席会议。"
    first, second = extract_page(page, "p.txt")
    assert (first.date, first.year_basis) == ("2023-12-29", "page")
    assert second.date == "2024-01-02"


def test_people_outside_office_yi_family_names_and_leading_a_delegation():
    found = people("本报讯 3月10日，州委副书记、州长沙马日火率州党政代表团赴百色考察，"
                   "州人大常委会副主任次仁央宗、阿牛木果参加考察。")
    assert {name: a.roles for name, a in found.items()} == {
        "沙马日火": ("host", "inspect"), "次仁央宗": ("attend", "inspect"), "阿牛木果": ("attend", "inspect")}
    found = people("本报讯 12月5日，公司召开座谈会。全国劳动模范、炼钢厂首席技师石建军，老党员代表刘振华先后发言。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "石建军": ["全国劳动模范", "炼钢厂首席技师"], "刘振华": ["老党员代表"]}


def test_an_intern_in_the_byline_is_neither_reporter_nor_correspondent():
    assert parse_byline("融媒体记者 孙浩 实习生 罗雨欣") == (("孙浩",), ())


def test_name_ends_before_a_follower_that_is_no_role_verb_and_invitations_are_no_names():
    found = people("本报讯 11月28日，市政协副主席祁东作关于提案工作的报告。全国政协委员应邀列席会议。")
    assert set(found) == {"祁东"}


@pytest.mark.parametrize("byline,journalists", [
    ("（通讯员 苏晴 摄影 林大卫）", ((), ("苏晴",))),
    ("融媒记者 黄振宇 通讯员 林峰", (("黄振宇",), ("林峰",))),
    ("记者 曾琳 整理", (("曾琳",), ())),
])
def test_byline_words_that_are_not_names(byline, journalists):
    assert parse_byline(byline) == journalists


def test_seated_on_the_rostrum_and_signing_are_presence():
    found = people("本报讯 1月6日，市人代会开幕。市委书记卓远航，市长万晓东等在主席台就座。"
                   "副专员刘永庆与副校长方晓燕分别代表双方签字。")
    assert {name: a.roles for name, a in found.items()} == {
        "卓远航": ("attend",), "万晓东": ("attend",), "刘永庆": ("sign",), "方晓燕": ("sign",)}


def test_a_masthead_date_on_its_own_line_without_weekday():
    [record] = extract_page("医大校报\n第865期  2024年3月15日\n\n本报讯 13日下午，校长邹明远主持召开座谈会。", "p.txt")
    assert record.date == "2024-03-13"


def test_a_sentence_opening_with_another_day_reports_another_event():
    [record] = extract_page("本报讯 6月12日，县长陈波到海上养殖区督导整治工作，副县长翁立群参加督导。"
                            "13日上午，陈波主持召开推进会，副县长郑一帆出席。次日，郑一帆带领督导组赴沙尾村检查。"
                            "会议要求，6月30日前完成整改。", "p.txt")
    days = [(e.date, sorted(a.person for a in e.appearances)) for e in record.events]
    assert days == [("06-12", ["翁立群", "陈波"]), ("06-13", ["郑一帆", "陈波"]), ("06-14", ["郑一帆"])]
    assert [a.roles for a in record.events[1].appearances if a.person == "陈波"] == [("host",)]


def test_mongolian_and_dotted_names_end_where_they_should():
    found = people("本报讯 12月16日，那达慕开幕。副厅长乌云其木格，局长朝鲁出席开幕式并致辞。"
                   "董事长阿布都拉·艾则孜先后发言，副主任哈斯也提·吾买尔应邀全程观摩。")
    assert set(found) == {"乌云其木格", "朝鲁", "阿布都拉·艾则孜", "哈斯也提·吾买尔"}
    assert set(people("本报讯 12月16日，会议召开。局长特别强调安全。")) == set()


def test_a_later_day_with_a_clock_time_and_spaced_or_broken_bylines():
    [record] = extract_page("本报讯 11月30日，市中级人民法院召开新闻发布会，新闻发言人、办公室主任刘畅出席。"
                            "12月2日凌晨5时，院长王志刚带领执行干警开展集中执行行动。", "p.txt")
    assert [(e.date, [a.person for a in e.appearances]) for e in record.events] == [
        ("11-30", ["刘畅"]), ("12-02", ["王志刚"])]
    assert [t.text for t in record.events[0].appearances[0].titles] == ["新闻发言人", "办公室主任"]
    assert parse_byline("见习记者 邱 悦 实习生 李可欣") == (("邱悦",), ())
    assert parse_byline("（记者 吉克曲布 特约 通讯员 阿苏拉哈）") == (("吉克曲布",), ("阿苏拉哈",))


def test_dai_and_jingpo_names_a_rare_surname_and_a_number_broken_by_the_line():
    [record] = extract_page("本报讯（记者/黄小敏 通讯员/叶青青）9月1\n0日，会议召开。会上，遮放镇党委书记岩罕、"
                            "村党总支书记勒排早诺作交流发言。出席会议的还有市领导线金凤、余志华。", "p.txt")
    assert (record.date, record.reporters, record.correspondents) == ("09-10", ("黄小敏",), ("叶青青",))
    assert [a.person for a in record.events[0].appearances] == ["岩罕", "勒排早诺", "线金凤", "余志华"]
    assert parse_byline("（记者 孙丽娜 实习记者 马琳）") == (("孙丽娜", "马琳"), ())


def test_fifth_set_patterns_lists_with_mongolian_names_referrals_and_new_posts():
    found = people("本报讯 3月10日，项目开工。出席开工仪式的还有区人大工委主任吕秀英，区政协工委主任哈斯巴根，区领导黄丽、冯涛等。"
                   "市委常委、统战部部长玉素甫江·买买提出席并讲话。县委副书记、县级河长王磊带队巡查。"
                   "州委第三巡回督导组组长杨再林一行来我县督导。委员们表示，正如县委书记龙金凤在全县经济工作会议上所强调的，要抓落实。")
    assert set(found) == {"吕秀英", "哈斯巴根", "黄丽", "冯涛", "玉素甫江·买买提", "王磊", "杨再林"}
    assert [t.text for t in found["王磊"].titles] == ["县委副书记", "县级河长"]
    assert set(people("本报讯 3月10日，副县长罗丹在县信访局接待来访群众。当天，罗丹共接待来访群众5批。")) == {"罗丹"}


def test_the_day_before_yesterday_and_a_printed_masthead_over_a_year_in_the_text():
    page = ("晚报\n2012年4月18日 星期三\n\n市长会见客人\n\n本报讯 昨日，市长王成会见了客人。2011年决算已经通过。\n\n"
            "茶话会举行\n\n【本报记者 沈冰清】前日下午，副市长李强出席茶话会。")
    first, second = extract_page(page, "2011-01-01_p.txt")  # the printed date beats the file name's
    assert (first.date, first.year_basis) == ("2012-04-17", "page")
    assert (second.date, second.reporters) == ("2012-04-16", ("沈冰清",))
    assert [a.person for a in second.events[0].appearances] == ["李强"]


def test_a_dotted_masthead_date_with_its_weekday():
    [record] = extract_page("江州晚报\n2013.1.24 星期四\n\n本报讯 22日，市长王成出席会议。", "p.txt")
    assert record.date == "2013-01-22"


@pytest.mark.parametrize("masthead,lead,expected", [
    ("二〇二五年三月十五日 星期六", "14日，省长罗思远出席会议。", "2025-03-14"),
    ("十一月二十三日 星期六", "22日，市长王成出席会议。", "11-22"),  # no year printed, none to infer
    ("2023年11月23日 星期四", "十一月二十一日下午，县长龙正美出席会议。", "2023-11-21"),
])
def test_dates_in_chinese_numerals(masthead, lead, expected):
    [record] = extract_page(f"报\n{masthead}\n\n本报讯 {lead}", "p.txt")
    assert record.date == expected


def test_a_lead_without_a_day_takes_the_day_a_later_sentence_opens_with():
    [record] = extract_page("报\n2023年11月23日 星期四\n\n本报讯 又一个产业项目落户我县。\n"
                            "11月20日下午，签约仪式举行，县长龙正美出席。", "p.txt")
    assert record.date == "2023-11-20"
    [record] = extract_page("本报讯 近日，县长龙正美到企业调研。\n11月20日下午，他出席签约仪式。", "p.txt")
    assert record.date is None  # 近日 says the lead's day is not known


def test_bulleted_news_in_brief_items_are_articles_of_their_own():
    page = ("省政府召开常务会议\n\n本报讯 3月12日，省长罗思远主持召开常务会议。（记者 管晓彤）\n\n简讯\n\n"
            "■3月11日，副主任和丽萍率执法检查组赴玉溪市检查。（记者 罗芸）\n\n"
            "■3月13日，副省长卢婕会见美国客人。（记者 胡霁）")
    records = extract_page(page, "p.txt")
    assert [(r.date, r.reporters, [a.person for a in r.events[0].appearances]) for r in records] == [
        ("03-12", ("管晓彤",), ["罗思远"]), ("03-11", ("罗芸",), ["和丽萍"]), ("03-13", ("胡霁",), ["卢婕"])]


def test_a_continued_article_and_a_feature_after_a_closed_article_stand_alone():
    page = ("县里召开推进会\n\n本报讯 11月21日，县长龙正美出席推进会。\n记者 韦雪梅\n\n"
            "石门镇：\n小菌菇撑起\n\n初冬时节，走进产业园，负责人李春生介绍了情况。\n记者 韩笑\n\n"
            "罗思远在普洱调研\n\n（上接第1版）省委常委孔令涛陪同调研。")
    records = extract_page(page, "p.txt")
    assert [r.headline for r in records] == ["县里召开推进会", "石门镇：小菌菇撑起", "罗思远在普洱调研"]
    assert [a.person for a in records[0].events[0].appearances] == ["龙正美"]
    assert records[0].reporters == ("韦雪梅",) and records[1].reporters == ("韩笑",)
    assert [a.person for a in records[2].events[0].appearances] == ["孔令涛"]


def test_consuls_ambassadors_rare_surnames_and_names_with_two_dots():
    found = people("本报讯 3月13日，省委书记韩立峥会见了琅勃拉邦省委书记兼省长坎培·西塔冯一行。"
                   "老挝驻昆明总领事维莱萨·彭萨瓦，副省长纳麟，孟加拉国驻华大使穆罕默德·努尔·哈桑参加会见。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "韩立峥": ["省委书记"], "坎培·西塔冯": ["琅勃拉邦省委书记兼省长"],
        "维莱萨·彭萨瓦": ["老挝驻昆明总领事"], "纳麟": ["副省长"], "穆罕默德·努尔·哈桑": ["孟加拉国驻华大使"]}


def test_a_later_sentence_opening_with_yesterday_or_the_same_day_reports_another_event():
    page = ("晚报\n2012年4月18日 星期三\n\n本报讯 前日，副市长蓝晓燕到石桥镇调研饮水工程，市水利局局长滕飞陪同。"
            "昨日上午，蓝晓燕又主持召开推进会，副秘书长汤卫国出席。同日，市长王成会见了德国西门子公司副总裁马丁·施密特一行。")
    [record] = extract_page(page, "p.txt")
    assert [(e.date, sorted(a.person for a in e.appearances)) for e in record.events] == [
        ("2012-04-16", ["滕飞", "蓝晓燕"]), ("2012-04-17", ["汤卫国", "蓝晓燕"]), ("2012-04-17", ["王成", "马丁·施密特"])]


def test_a_bracketed_byline_that_opens_a_broken_lead_line_is_no_byline_line():
    page = "人大会议闭幕\n\n【本报记者 沈冰清】前日下\n午，市人大常委会主任江洪涛主持闭幕会。"
    [record] = extract_page(page, "2012-04-18.txt")
    assert (record.date, record.reporters) == ("2012-04-16", ("沈冰清",))


def test_a_rank_after_the_name_is_a_title_and_a_name_may_end_in_lai_before_a_list_comma():
    found = people("本报讯 7月29日，市军分区司令员田永刚大校、政治委员冯开来大校，市委常委王开来、李强出席会议。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "田永刚": ["市军分区司令员", "大校"], "冯开来": ["政治委员", "大校"], "王开来": ["市委常委"], "李强": ["市委常委"]}


def test_titles_with_a_bracketed_place_and_groups_that_end_with_deng():
    found = people("本报讯 6月16日，中科智芯（南州）半导体有限公司董事长司马文涛，市政协主席凌云等市四大班子领导，"
                   "与原市委书记盛国华出席签约仪式。镇长庞丽君安排部署工作。")
    assert {name: ([t.text for t in a.titles], a.roles) for name, a in found.items()} == {
        "司马文涛": (["中科智芯（南州）半导体有限公司董事长"], ("attend",)), "凌云": (["市政协主席"], ("attend",)),
        "盛国华": (["原市委书记"], ("attend",)), "庞丽君": (["镇长"], ("speak",))}


def test_interviews_and_sources_are_no_appearances():
    page = ("石门镇：小菌菇撑起大产业\n\n初冬时节，走进产业园，大棚整齐排列。产业园负责人李春生介绍，园区带动120户增收。\n"
            "长岭村党支部书记罗永富说，销路越来越宽。\n记者 韩笑\n\n项目落户我县\n\n"
            "本报讯（记者 潘立群）项目落户我县。记者从县投资促进局获悉，项目总投资10亿元。\n"
            "11月20日下午，签约仪式举行。县长龙正美出席，副县长李强与公司董事长张伟签订协议。"
            "据县投资促进局局长钱多多介绍，今年以来签约项目12个。")
    feature, signing = extract_page(page, "p.txt")
    assert [a.person for e in feature.events for a in e.appearances] == []
    assert signing.reporters == ("潘立群",)
    assert {a.person: [t.text for t in a.titles] for a in signing.events[0].appearances} == {
        "龙正美": ["县长"], "李强": ["副县长"], "张伟": ["公司董事长"]}


def test_two_character_names_padded_to_a_roster_width_are_one_name():
    found = people("本报讯 11月20日，乡党委书记马 骏主持会议，副乡长王　伟、李建国、张　敏出席。马骏强调，要抓好落实。")
    assert {name: ([t.text for t in a.titles], a.roles) for name, a in found.items()} == {
        "马骏": (["乡党委书记"], ("host", "speak")), "王伟": (["副乡长"], ("attend",)),
        "李建国": (["副乡长"], ("attend",)), "张敏": (["副乡长"], ("attend",))}


def test_untitled_comrades_who_speak_in_turn_and_a_day_between_name_and_verb():
    found = people("本报讯 12月3日，全市干部大会召开。桑本立同志、方志诚同志分别讲话。")
    assert {name: a.roles for name, a in found.items()} == {"桑本立": ("speak",), "方志诚": ("speak",)}
    found = people("本报讯 12月3日，市委书记严正邦、市长聂海川日前带领有关部门走访慰问。")
    assert {name: a.roles for name, a in found.items()} == {"严正邦": ("host", "inspect"), "聂海川": ("host", "inspect")}


def test_a_relayed_speech_goes_on_in_the_next_paragraph_and_a_collective_noun_is_no_title():
    found = people("本报讯 7月29日，市委书记严正邦主持召开会议。会议传达了省委书记汪建国在全省会议上的讲话精神。\n"
                   "汪建国在讲话中强调，要抓好落实。严正邦指出，要认真贯彻。副书记李强代表领导班子作对照检查。")
    assert set(found) == {"严正邦", "李强"}
    found = people("本报讯 3月10日，省委书记、省委理论学习中心组组长韩立峥主持并讲话。")
    assert found["韩立峥"].roles == ("host", "speak")


def test_unnamed_people_inside_a_list_do_not_break_it():
    found = people("本报讯 3月13日，省委常委会召开会议。省人大常委会主任郑秉言，省政协主席段锦昌，"
                   "省人大常委会、省政府有关负责同志，省法院院长甘志诚列席会议。")
    assert {name: a.roles for name, a in found.items()} == {
        "郑秉言": ("attend",), "段锦昌": ("attend",), "甘志诚": ("attend",)}


def test_a_two_line_headline_then_a_dated_lead_without_a_blank_line():
    page = ("王丽萍走访慰问老党员\n 本报讯 近日，县委副书记王丽萍走访慰问老党员。\n\n"
            "青溪县与华越集团签约\n总投资12亿元新材料项目落户经开区\n11月26日，县人民政\n府与华越集团举行签约仪式。"
            "副县长王军与华越集团总经理沈宁代表双方签约。\n（融媒体记者 刘洋）")
    first, second = extract_page(page, "p.txt")
    assert (first.date, [a.person for a in first.events[0].appearances]) == (None, ["王丽萍"])
    assert second.headline == "青溪县与华越集团签约总投资12亿元新材料项目落户经开区"
    assert (second.date, second.reporters) == ("11-26", ("刘洋",))
    assert [a.person for a in second.events[0].appearances] == ["王军", "沈宁"]


def test_untitled_rosters_after_the_words_also_present_were():
    found = people("本报讯 1月9日，市十五届人大三次会议开幕。市委书记陈国华在主席台就座。"
                   "在主席台就座的还有：冯卓伦、欧阳静、何　锋，原市政协主席陈国良等。座谈会的有关情况由李强通报。")
    assert {name: a.roles for name, a in found.items() if name != "李强"} == {
        "陈国华": ("attend",), "冯卓伦": ("attend",), "欧阳静": ("attend",), "何锋": ("attend",), "陈国良": ("attend",)}


@pytest.mark.parametrize("page,expected", [
    ("报\n2024年1月12日 星期五\n\n本报讯 会期1月8日至11日的市人大会议，于昨天上午闭幕。市长王成出席。", "2024-01-11"),
    ("报\n2024年1月13日 星期六\n\n本报讯 会议于1月9日至12日举行。大会于1月12日上午闭幕，市长王成出席。", "2024-01-12"),
    ("报\n2022年9月19日 星期一\n\n本报讯 上周五，市长王成出席签约仪式。", "2022-09-16"),
    ("发布时间：2024-06-19 08:42\n\n6月18日 县委常委会召开\n\n本报讯 县委书记王成主持召开县委常委会。", "2024-06-18"),
    ("报\n2024年6月15日 星期六\n\n本报讯 6月15日至16日，市人大代表王成视察重点项目。", "2024-06-15"),
])
def test_spans_last_week_web_headers_and_a_day_in_the_headline(page, expected):
    assert extract_page(page, "p.txt")[0].date == expected


def test_a_received_delegation_is_present_and_a_common_word_name_before_an_adverb():
    found = people("本报讯 6月6日，县长郑永辉会见了华芯科技董事长戴建明、副总裁甘小强一行，双方就项目进行交流。"
                   "居委会主任王桂兰，南关社区党委书记黎明分别作了经验交流发言。")
    assert {name: a.roles for name, a in found.items()} == {
        "郑永辉": ("receive",), "戴建明": ("attend",), "甘小强": ("attend",), "王桂兰": ("speak",), "黎明": ("speak",)}


def test_bylines_over_lines_split_labels_and_a_correspondent_of_this_paper():
    page = ("大桥建成通车\n\n本报讯 12月28日上午，大桥通车。副市长凌飞主持仪式。\n记者 邓小川 通讯员 罗霞 \n谭一鸣 文/图\n\n\n"
            "电池项目投产\n\n本报记者 邓小川\n本报通讯员 胡蝶\n本报讯 12月27日，项目投产。副市长凌飞出席。\n\n"
            "中心揭牌\n\n本报讯 日前，中心揭牌。局长庞春燕主持揭牌仪式。（本报通讯\n员 万千）\n\n\n"
            "招商\n\n本报记者 束晓东 本报通\n讯员 汪洋\n本报讯 9月13日，市长雷鸣远率队招商。\n本报通讯员 储曼曼 周航")
    assert [(r.reporters, r.correspondents) for r in extract_page(page, "p.txt")] == [
        (("邓小川",), ("罗霞", "谭一鸣")), (("邓小川",), ("胡蝶",)), ((), ("万千",)), (("束晓东",), ("汪洋", "储曼曼", "周航"))]


def test_a_column_break_before_a_character_that_never_starts_a_line():
    found = people("本报讯 12月27日，项目投产仪式举行。\n公司常务副总裁贺兰山介绍\n\n了项目情况。")
    assert found["贺兰山"].roles == ("speak",)


def test_whom_a_delegation_calls_on_received_it_and_ceremony_acts_are_presence():
    found = people("本报讯 6月6日，在德国斯图加特，市委书记陆振邦拜会了州经济部国务秘书卡特琳·莱纳特。"
                   "市长卢晓筠，公司董事长段启明共同按下投产启动键。副厅长梁晓东、常务副市长彭国栋共同为中心揭牌。")
    assert {name: a.roles for name, a in found.items()} == {
        "陆振邦": ("attend",), "卡特琳·莱纳特": ("receive",), "卢晓筠": ("attend",), "段启明": ("attend",),
        "梁晓东": ("attend",), "彭国栋": ("attend",)}


def test_a_quoted_voices_column_after_a_byline_and_names_in_a_speakers_list():
    page = ("政协联组讨论\n\n本报讯 1月10日，市政协举行联组讨论。副市长张婉君、黎明到会听取意见。"
            "民革市委会主委、市政协常委曾宪文，委员邝丽娟、陆诚，经济界别召集人、委员钱海生先后发言。"
            "会议听取了大会秘书长甘永和关于提案工作的汇报。\n\n记者 李嘉敏\n\n代表委员说\n新春将至，部分代表委员接受本\n"
            "报记者电话采访。\n\n市人大代表、镇海鲜餐饮协会会长黄国富：希望擦亮招牌。\n\n记者 谢颖 黄柳青 整理")
    meeting, column = extract_page(page, "p.txt")
    assert {a.person: a.roles for a in meeting.events[0].appearances} == {
        "张婉君": ("attend",), "黎明": ("attend",), "曾宪文": ("speak",), "邝丽娟": ("speak",), "陆诚": ("speak",),
        "钱海生": ("speak",), "甘永和": ("report",)}
    assert column.headline == "代表委员说" and column.reporters == ("谢颖", "黄柳青")
    assert [a for e in column.events for a in e.appearances] == []


def test_people_visited_by_name_were_there():
    found = people("本报讯 1月20日，市委常委、统战部部长何丽萍走访慰问宗教界代表人士，"
                   "看望慰问市伊斯兰教协会会长马文录、市佛教协会会长释慧明。")
    assert {name: a.roles for name, a in found.items()} == {
        "何丽萍": ("inspect",), "马文录": ("attend",), "释慧明": ("attend",)}


def test_whom_a_meeting_hears_reports_and_an_early_start_before_the_verb():
    found = people("本报讯 4日，市委政法委员会召开全体会议。会议听取了市委政法委副书记邱海涛关于排查情况的通报。"
                   "市人民医院主任医师、博士生导师赵文博一大早就来到义诊现场。市委书记钱立新走进市第一中学。")
    assert {name: a.roles for name, a in found.items()} == {
        "邱海涛": ("report",), "赵文博": ("attend",), "钱立新": ("inspect",)}


def test_field_posts_ranks_before_a_name_and_a_bracketed_qualifier_after_a_post():
    found = people("本报讯 8月6日，地委副书记（援藏）、援藏工作队领队刘志强，县公安局政委、一级警督祁永红，"
                   "苏木达乌日娜，副总指挥虎成林出席会议。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "刘志强": ["地委副书记（援藏）", "援藏工作队领队"], "祁永红": ["县公安局政委", "一级警督"],
        "乌日娜": ["苏木达"], "虎成林": ["副总指挥"]}


def test_what_a_speech_says_gives_no_role_and_names_of_other_peoples_in_a_byline():
    found = people("本报讯 3月2日，乡党委书记覃正和，乡长李强出席会议。县委书记王成强调，新一届乡党委要团结带领全乡干部群众。")
    assert {name: a.roles for name, a in found.items()} == {
        "覃正和": ("attend",), "李强": ("attend",), "王成": ("speak",)}
    assert parse_byline("记者 古丽娜尔·艾力 乌云毕力格") == (("古丽娜尔·艾力", "乌云毕力格"), ())


def test_a_span_across_months_and_yesterday_in_the_second_sentence():
    [record] = extract_page("报\n2021年4月3日 星期六\n\n本报讯 3月31日至4月1日，区党委书记王成到那曲调研。", "p.txt")
    assert record.date == "2021-03-31"
    [record] = extract_page("报\n2020年5月6日 星期三\n\n本报讯 全县安全生产大检查全面展开。昨日，县长王成带队检查。", "p.txt")
    assert record.date == "2020-05-05"


def test_a_holiday_on_its_own_day_dates_the_lead():
    [record] = extract_page("阿里报　综合新闻　2019年8月6日\n\n本报讯 “八一”建军节当天，地委副书记王成深入边境一线巡逻。", "p.txt")
    assert record.date == "2019-08-01"
    [record] = extract_page("阿里报　综合新闻　2019年8月6日\n\n本报讯 “八一”前夕，地委副书记王成看望驻地官兵。", "p.txt")
    assert record.date is None  # the eve of a holiday is no day


@pytest.mark.parametrize("masthead", [
    "清河晚报\n2012年4月18日 星期三\nA03 要闻\n责任编辑：吴敏 美术编辑：陈亮 校对：于青",
    "江门日报 2024.01.13 星期六 第A01版",
    "今日桐川\n2024年6月6日 星期四\n第2版 要闻  责任编辑：金璐",
])
def test_the_masthead_is_no_part_of_the_first_headline(masthead):
    [record] = extract_page(f"{masthead}\n\n市人大常委会召开主任会议\n\n本报讯 昨日上午，主任江洪涛主持会议。", "p.txt")
    assert record.headline == "市人大常委会召开主任会议"


def test_yesterday_with_its_day_in_brackets_court_posts_and_speech_verbs():
    [record] = extract_page("报\n2022年1月4日 星期二\n\n本报讯 昨（3）日，市长王成会见了客人。", "p.txt")
    assert record.date == "2022-01-03"
    found = people("本报讯 3月2日，市实验中学举行开学典礼。审判员卯昌文、检察员李强出席。讲解员尤佳讲述了英雄事迹。"
                   "校长张敏致开学辞。")
    assert {name: [t.text for t in a.titles] for name, a in found.items()} == {
        "卯昌文": ["审判员"], "李强": ["检察员"], "尤佳": ["讲解员"], "张敏": ["校长"]}
