from .matrix import LOGIN, PARTNER_PAGE, PUBLIC, STAFF_PAGE, Case, expect

CASES = [
    Case("home", expect(302, anonymous=200)),
    Case("healthz", PUBLIC),
    Case("api:schema", expect(200)),
    Case("api:docs", expect(200)),
    Case("partners:apply", expect(302, anonymous=200)),
    Case("partners:agreements", expect(403, anonymous=LOGIN, partner_admin=200, partner_member=200,
                                       other_partner_admin=200)),
    Case("partners:home", PARTNER_PAGE),
    Case("partners:staff_home", STAFF_PAGE),
]
