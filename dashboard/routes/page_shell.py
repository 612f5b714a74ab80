"""The plain HTML page of the routes that are not Dash pages (sign-in, account, errors): the
site's header and one card. Each caller fills the title and the card with its own templating
(Jinja for the account pages; ``str.format`` for the error page, which must work when nothing
else does), so the shell only joins text."""

from __future__ import annotations


def page_shell(title: str, card: str, card_class: str = "card") -> str:
    """The page around ``card``; ``title`` and ``card`` are template text of the caller."""
    return f"""<!DOCTYPE html>
<html lang="fr">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title} — Suivi des territoires</title>
    <link rel="stylesheet" href="/assets/style.css">
  </head>
  <body>
    <header class="site-header">
      <a class="brand" href="/"><span class="brand-name">Suivi des territoires</span>
      <span class="brand-tagline">Résultats des politiques territoriales</span></a>
    </header>
    <main class="site-main" id="contenu">
      <div class="{card_class}">
        <h1>{title}</h1>
{card}
      </div>
    </main>
  </body>
</html>"""
