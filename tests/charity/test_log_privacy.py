"""The check run over every log record of the test run (tests/conftest.py) finds what it must."""

import logging

from tests.conftest import PERSONAL_DATA, PersonalDataInLogs


def test_the_pattern_recognises_identity_and_mobile_numbers_only():
    assert PERSONAL_DATA.search("受助人 43040519600517123X 已保存")
    assert PERSONAL_DATA.search("电话 13812345678")
    assert not PERSONAL_DATA.search("信用代码 91430400000000001X，金额 18107035.00，电话 0734-8860089")


def test_the_handler_reports_a_record_that_carries_one():
    handler = PersonalDataInLogs()
    # A logger of its own that does not propagate: the session's own check must not see this one.
    logger = logging.getLogger("tests.log_privacy")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        logger.warning("导入失败：%s", "身份证 430405196005171234")
        logger.info("保存了 3 条记录")
    finally:
        logger.removeHandler(handler)
    assert len(handler.found) == 1 and "430405196005171234" in handler.found[0]
