from claims.models import Status


def test_proposed_verdict_is_not_yet_approved(proposed_claim):
    assert proposed_claim.status == Status.VERIFIED
    assert proposed_claim.approved_at is None
    assert proposed_claim.version == 3  # created, research started, verdict set
