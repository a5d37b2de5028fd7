"""The spending rule: a project spends beyond its budget or its directed money only with a reason."""

from charity.money import yuan


def spending_error(project, amount, reason, *, exclude=None):
    """A message for staff when this disbursement would go beyond the project's limit without a
    stated reason, else None. The limit is the larger of the budget and the money directed to it
    (ReliefProjectQuerySet.with_money)."""
    row = type(project).objects.with_money().filter(pk=project.pk).values("limit", "spent").get()
    spent = row["spent"]
    if exclude is not None:
        spent -= project.disbursements.filter(pk=exclude).total()
    after = spent + amount
    if after > row["limit"] and not (reason or "").strip():
        return (
            f"本笔支出后项目累计支出 {yuan(after)} 元，超过预算和定向捐赠中较大者 "
            f"{yuan(row['limit'])} 元，请填写超支说明"
        )
    return None
