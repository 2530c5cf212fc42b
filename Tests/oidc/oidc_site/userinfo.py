def userinfo(claims, user):
    """OIDC_USERINFO: standard claims of a test user. Every test user's email counts as verified."""
    claims["name"] = user.get_full_name()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims
