from tests.conftest import PM, Bot


def test_help(bot: Bot) -> None:
    body = bot.run("")
    assert body["response_type"] == "ephemeral"
    assert "/prosjekt ny" in str(body["blocks"])


def test_create_one_line(bot: Bot) -> None:
    body = bot.run('ny "Nettside Fjordkraft" kunde:"Fjordkraft AS" frist:15.12.2026 timer:120 budsjett:150000 pl:<@UKARI0001|kari> type:avgrenset')
    assert "P-1" in body["text"], body
    card = bot.card()
    assert "Nettside Fjordkraft" in str(card["blocks"])
    body = bot.run("logg P-1 2,5t Skrev annonsetekster 40%")
    assert "2,5" in body["text"], body
    bot.settle()
    print(bot.fake.calls_to("chat.update"))


def test_dump(bot: Bot) -> None:
    import json
    bot.run('ny "Nettside <!channel>" kunde:"Fjordkraft & Co" frist:15.12.2026 timer:120 budsjett:150000 type:avgrenset')
    bot.run("logg P-1 30t Skrev annonsetekster 40%")
    bot.run('oppgave P-1 "Levere rapport" frist:fredag ansvarlig:<@UOLA00001>')
    bot.run('mål P-1 "Organisk trafikk" mål:10000 nå:4500')
    bot.settle()
    print(json.dumps(bot.card()["blocks"], ensure_ascii=False, indent=1))
    print(bot.run("historikk P-1"))
    print(bot.run("liste"))
