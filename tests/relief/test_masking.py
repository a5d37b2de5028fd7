"""What a disclosure publishes about the people helped: masked names, districts, nothing else."""

import datetime
import json

import pytest

from relief.models import ReliefProject
from tests import factories
from tests.relief import helpers

pytestmark = pytest.mark.django_db


def content_text(disclosure):
    return json.dumps(disclosure.content, ensure_ascii=False, default=str)


def test_names_are_masked_and_numbers_absent():
    people = [
        helpers.beneficiary(name="王小明", district="雁峰区"),
        helpers.beneficiary(name="欧阳春花", district="珠晖区"),
        helpers.beneficiary(name="李明", district="石鼓区"),
    ]
    published = helpers.published_disclosure(factories.project(), people)
    assert published.content["recipients"] == [
        {"name": "欧**花", "district": "珠晖区", "amount": "500.00"},
        {"name": "王*明", "district": "雁峰区", "amount": "500.00"},
        {"name": "李*", "district": "石鼓区", "amount": "500.00"},
    ]
    text = content_text(published)
    for person in people:
        assert person.name not in text
        assert person.id_number not in text
        assert person.id_number[-4:] not in text and person.id_number[:6] not in text
    assert published.content["withheld"] == []


def test_a_person_paid_twice_is_one_row_with_the_sum():
    project = factories.project()
    person = helpers.beneficiary(name="张三丰")
    first = helpers.disbursement(project, amount="800.00")
    second = helpers.disbursement(project, amount="900.00")
    helpers.share(first, person, "300.10")
    helpers.share(second, person, "200.25")
    from relief import services

    published = services.publish_disclosure(helpers.disclosure(project))
    assert published.content["recipients"] == [{"name": "张*丰", "district": "珠晖区", "amount": "500.35"}]
    assert published.content["recipients_total"] == "500.35"
    assert published.content["total"] == "1700.00"


def test_children_are_never_listed_only_counted_per_district():
    child = helpers.beneficiary(name="刘小宝", id_number=helpers.id_number(born=datetime.date(2015, 3, 2)))
    marked = helpers.beneficiary(name="刘大宝", group="child", district="雁峰区")
    adult = helpers.beneficiary(name="刘老汉", district="珠晖区")
    published = helpers.published_disclosure(factories.project(), [child, marked, adult])
    assert published.content["recipients"] == [{"name": "刘*汉", "district": "珠晖区", "amount": "500.00"}]
    assert published.content["withheld"] == [
        {"district": "珠晖区", "people": 1, "amount": "500.00"},
        {"district": "雁峰区", "people": 1, "amount": "500.00"},
    ]
    assert "刘*宝" not in content_text(published)
    assert "未成年人" in published.content["withheld_reason"]


def test_a_minor_is_judged_on_the_day_the_list_is_published():
    # 18 on 2024-01-07: an adult when the objection period opens on 2024-01-08.
    person = helpers.beneficiary(name="陈成年", id_number=helpers.id_number(born=datetime.date(2006, 1, 7)))
    published = helpers.published_disclosure(factories.project(), [person])
    assert published.content["recipients"][0]["name"] == "陈*年"


def test_mental_health_projects_publish_no_list_at_all():
    project = factories.project("慈康项目", category=ReliefProject.Category.MENTAL_HEALTH)
    people = [helpers.beneficiary(name=f"周某{i}号", district="蒸湘区") for i in range(3)]
    published = helpers.published_disclosure(project, people, amount="1388.00")
    assert published.content["recipients"] == []
    assert published.content["withheld"] == [{"district": "蒸湘区", "people": 3, "amount": "4164.00"}]
    for person in people:
        assert person.name[0] + "*" not in content_text(published)


def test_mental_health_group_in_another_project_is_not_listed():
    person = helpers.beneficiary(name="吴某某", group="mental_health", district="南岳区")
    published = helpers.published_disclosure(factories.project(), [person])
    assert published.content["recipients"] == []
    assert published.content["withheld"][0]["district"] == "南岳区"


def test_beneficiary_has_no_field_for_health_details():
    from relief.models import Beneficiary

    names = {f.name for f in Beneficiary._meta.get_fields()}
    assert not names & {"diagnosis", "illness", "health", "condition", "disease", "note"}


def test_str_of_a_beneficiary_is_masked_for_select_boxes_and_the_audit_trail():
    assert str(helpers.beneficiary(name="王小明", district="雁峰区")) == "王*明（雁峰区）"
