/*
 * cdp-input.c: real input events for the followed tab (Input domain).
 *
 * Mouse and key events go to the tab's session in top-level viewport CSS
 * px; the browser routes them to the frame under the pointer or with the
 * focus, as for a person.  A sequence (move, press, release) is queued with
 * cdp_send() and only its last event waited for: one session's calls are
 * handled in order, so that reply means all of them were dispatched.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "log.h"
#include "private.h"
#include "xmalloc.h"

/* Cap on text inserted in one call. */
#define INPUT_TEXT_MAX	(1024 * 1024)

/* A named key. */
struct input_key {
	const char	*name;	/* as callers spell it */
	const char	*key;	/* KeyboardEvent.key */
	const char	*code;	/* KeyboardEvent.code */
	int		 vk;	/* Windows virtual key code */
	const char	*text;	/* text it types, or NULL */
};

static const struct input_key input_keys[] = {
	{ "Enter",	"Enter",	"Enter",	13, "\r" },
	{ "Tab",	"Tab",		"Tab",		 9, NULL },
	{ "Escape",	"Escape",	"Escape",	27, NULL },
	{ "Backspace",	"Backspace",	"Backspace",	 8, NULL },
	{ "Delete",	"Delete",	"Delete",	46, NULL },
	{ "ArrowUp",	"ArrowUp",	"ArrowUp",	38, NULL },
	{ "ArrowDown",	"ArrowDown",	"ArrowDown",	40, NULL },
	{ "ArrowLeft",	"ArrowLeft",	"ArrowLeft",	37, NULL },
	{ "ArrowRight",	"ArrowRight",	"ArrowRight",	39, NULL },
	{ "Home",	"Home",		"Home",		36, NULL },
	{ "End",	"End",		"End",		35, NULL },
	{ "PageUp",	"PageUp",	"PageUp",	33, NULL },
	{ "PageDown",	"PageDown",	"PageDown",	34, NULL },
	{ "Space",	" ",		"Space",	32, " " },
};

/*
 * US-layout punctuation: the character, the code of its key, its virtual
 * key code, and whether it needs Shift.
 */
static const struct {
	char		 c;
	const char	*code;
	int		 vk;
	int		 shift;
} input_punct[] = {
	{ ' ', "Space", 32, 0 },
	{ '-', "Minus", 189, 0 },	{ '_', "Minus", 189, 1 },
	{ '=', "Equal", 187, 0 },	{ '+', "Equal", 187, 1 },
	{ '[', "BracketLeft", 219, 0 },	{ '{', "BracketLeft", 219, 1 },
	{ ']', "BracketRight", 221, 0 }, { '}', "BracketRight", 221, 1 },
	{ '\\', "Backslash", 220, 0 },	{ '|', "Backslash", 220, 1 },
	{ ';', "Semicolon", 186, 0 },	{ ':', "Semicolon", 186, 1 },
	{ '\'', "Quote", 222, 0 },	{ '"', "Quote", 222, 1 },
	{ ',', "Comma", 188, 0 },	{ '<', "Comma", 188, 1 },
	{ '.', "Period", 190, 0 },	{ '>', "Period", 190, 1 },
	{ '/', "Slash", 191, 0 },	{ '?', "Slash", 191, 1 },
	{ '`', "Backquote", 192, 0 },	{ '~', "Backquote", 192, 1 },
	{ '!', "Digit1", 49, 1 },	{ '@', "Digit2", 50, 1 },
	{ '#', "Digit3", 51, 1 },	{ '$', "Digit4", 52, 1 },
	{ '%', "Digit5", 53, 1 },	{ '^', "Digit6", 54, 1 },
	{ '&', "Digit7", 55, 1 },	{ '*', "Digit8", 56, 1 },
	{ '(', "Digit9", 57, 1 },	{ ')', "Digit0", 48, 1 },
};

/* DevTools name of a button. */
static const char *
button_name(enum cdp_button b)
{
	switch (b) {
	case CDP_BUTTON_LEFT:
		return "left";
	case CDP_BUTTON_MIDDLE:
		return "middle";
	case CDP_BUTTON_RIGHT:
		return "right";
	}
	return NULL;
}

/* Bit of a button in MouseEvent.buttons. */
static int
button_bit(enum cdp_button b)
{
	switch (b) {
	case CDP_BUTTON_LEFT:
		return 1;
	case CDP_BUTTON_RIGHT:
		return 2;
	case CDP_BUTTON_MIDDLE:
		return 4;
	}
	return 0;
}

/* Checks a point and gets the followed tab's session id. */
static int
input_begin(struct cdp_page *page, double x, double y, char **sidp)
{
	struct cdp_sess *t;

	*sidp = NULL;
	if (!isfinite(x) || !isfinite(y) || fabs(x) > 1e7 || fabs(y) > 1e7) {
		cdp_conn_set_error(page->conn, "invalid point %g,%g", x, y);
		return ERR_INVALID;
	}
	if ((t = cdp_page_tab(page)) == NULL)
		return ERR_CLOSED;
	*sidp = xstrdup(t->id);
	return 0;
}

/*
 * Sends one Input.dispatchMouseEvent; waits for its reply when wait is
 * set, else only queues it.
 */
static int
mouse_event(struct cdp_page *page, const char *sid, const char *type,
    double x, double y, const char *button, int buttons, int count,
    int wait)
{
	cJSON *p;

	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "type", type) == NULL ||
	    cJSON_AddNumberToObject(p, "x", x) == NULL ||
	    cJSON_AddNumberToObject(p, "y", y) == NULL ||
	    cJSON_AddStringToObject(p, "button", button) == NULL ||
	    cJSON_AddNumberToObject(p, "buttons", buttons) == NULL ||
	    cJSON_AddNumberToObject(p, "clickCount", count) == NULL ||
	    cJSON_AddStringToObject(p, "pointerType", "mouse") == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	if (wait)
		return cdp_call(page->conn, sid, "Input.dispatchMouseEvent", p,
		    0, NULL);
	return cdp_send(page->conn, sid, "Input.dispatchMouseEvent", p);
}

/* Moves the pointer to x,y (buttons held stay held). */
int
cdp_input_mouse_move(struct cdp_page *page, double x, double y)
{
	char *sid;
	int r;

	if ((r = input_begin(page, x, y, &sid)) != 0)
		return r;
	r = mouse_event(page, sid, "mouseMoved", x, y, "none", page->buttons,
	    0, 1);
	free(sid);
	return r;
}

/* Hovers at x,y: a pointer move. */
int
cdp_input_hover(struct cdp_page *page, double x, double y)
{
	return cdp_input_mouse_move(page, x, y);
}

/* Presses or releases button b at x,y. */
static int
mouse_button(struct cdp_page *page, double x, double y, enum cdp_button b,
    int click_count, int down)
{
	const char *name = button_name(b);
	char *sid;
	int r, buttons;

	if (name == NULL || click_count < 1 || click_count > 3) {
		cdp_conn_set_error(page->conn, "invalid button or count");
		return ERR_INVALID;
	}
	if ((r = input_begin(page, x, y, &sid)) != 0)
		return r;
	/* MouseEvent.buttons: the state after the event. */
	buttons = down ? page->buttons | button_bit(b) :
	    page->buttons & ~button_bit(b);
	r = mouse_event(page, sid, down ? "mousePressed" : "mouseReleased", x,
	    y, name, buttons, click_count, 1);
	if (r == 0)
		page->buttons = buttons;
	free(sid);
	return r;
}

/* Presses button b at x,y. */
int
cdp_input_mouse_down(struct cdp_page *page, double x, double y,
    enum cdp_button b, int click_count)
{
	return mouse_button(page, x, y, b, click_count, 1);
}

/* Releases button b at x,y. */
int
cdp_input_mouse_up(struct cdp_page *page, double x, double y,
    enum cdp_button b, int click_count)
{
	return mouse_button(page, x, y, b, click_count, 0);
}

/* Moves to x,y and clicks count times (2: a double click). */
int
cdp_input_click(struct cdp_page *page, double x, double y,
    enum cdp_button b, int count)
{
	const char *name = button_name(b);
	char *sid = NULL;
	int r = ERR_INTERNAL, i, bit = button_bit(b);

	if (name == NULL || count < 1 || count > 3) {
		cdp_conn_set_error(page->conn, "invalid button or count");
		return ERR_INVALID;
	}
	if ((r = input_begin(page, x, y, &sid)) != 0)
		return r;
	if ((r = mouse_event(page, sid, "mouseMoved", x, y, "none",
	    page->buttons, 0, 0)) != 0)
		goto out;
	for (i = 1; i <= count; i++) {
		if ((r = mouse_event(page, sid, "mousePressed", x, y, name,
		    page->buttons | bit, i, 0)) != 0)
			goto out;
		if ((r = mouse_event(page, sid, "mouseReleased", x, y, name,
		    page->buttons & ~bit, i, i == count)) != 0)
			goto out;
	}
	r = 0;
out:
	page->buttons &= ~bit;
	free(sid);
	return r;
}

/* Length of the UTF-8 sequence s starts with, 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] != 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Sends one Input.dispatchKeyEvent; waits for it when wait is set. */
static int
key_event(struct cdp_page *page, const char *sid, const char *type,
    const struct input_key *k, int modifiers, int wait)
{
	cJSON *p;

	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "type", type) == NULL ||
	    cJSON_AddStringToObject(p, "key", k->key) == NULL ||
	    cJSON_AddStringToObject(p, "code", k->code) == NULL ||
	    cJSON_AddNumberToObject(p, "windowsVirtualKeyCode", k->vk) ==
	    NULL ||
	    cJSON_AddNumberToObject(p, "nativeVirtualKeyCode", k->vk) ==
	    NULL ||
	    cJSON_AddNumberToObject(p, "modifiers", modifiers) == NULL ||
	    (k->text != NULL && (cJSON_AddStringToObject(p, "text",
	    k->text) == NULL || cJSON_AddStringToObject(p, "unmodifiedText",
	    k->text) == NULL))) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	if (wait)
		return cdp_call(page->conn, sid, "Input.dispatchKeyEvent", p,
		    0, NULL);
	return cdp_send(page->conn, sid, "Input.dispatchKeyEvent", p);
}

/*
 * Fills k for a key name: a named key or one character.  buf holds
 * strings k points to.  ERR_INVALID for anything else.
 */
static int
key_lookup(const char *name, int modifiers, struct input_key *k,
    char buf[2][16])
{
	const unsigned char *u = (const unsigned char *)name;
	size_t i, n;
	int c;

	for (i = 0; i < sizeof(input_keys) / sizeof(input_keys[0]); i++) {
		if (strcmp(name, input_keys[i].name) == 0) {
			*k = input_keys[i];
			return 0;
		}
	}
	if ((n = utf8_len(u)) == 0 || u[n] != '\0')
		return ERR_INVALID;
	memset(k, 0, sizeof(*k));
	k->name = name;
	snprintf(buf[0], sizeof(buf[0]), "%s", name);
	k->key = buf[0];
	k->text = buf[0];
	k->code = "";
	k->vk = 0;
	if (n == 1) {
		c = u[0];
		if (c < 0x20 || c == 0x7f)
			return ERR_INVALID;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			int up = c & ~0x20;

			/* Shift types the capital letter. */
			if (modifiers & CDP_MOD_SHIFT)
				buf[0][0] = (char)up;
			snprintf(buf[1], sizeof(buf[1]), "Key%c", up);
			k->code = buf[1];
			k->vk = up;
		} else if (c >= '0' && c <= '9') {
			snprintf(buf[1], sizeof(buf[1]), "Digit%c", c);
			k->code = buf[1];
			k->vk = c;
		} else {
			for (i = 0; i < sizeof(input_punct) /
			    sizeof(input_punct[0]); i++) {
				if (input_punct[i].c == c) {
					k->code = input_punct[i].code;
					k->vk = input_punct[i].vk;
					break;
				}
			}
		}
	}
	return 0;
}

/* Presses and releases one key. */
int
cdp_input_key(struct cdp_page *page, const char *name, int modifiers)
{
	struct input_key k;
	char buf[2][16], *sid = NULL;
	int r = ERR_INTERNAL;

	if (name == NULL || key_lookup(name, modifiers, &k, buf) != 0) {
		cdp_conn_set_error(page->conn, "unknown key \"%s\"",
		    name != NULL ? name : "(null)");
		return ERR_INVALID;
	}
	if (modifiers & ~(CDP_MOD_ALT | CDP_MOD_CTRL | CDP_MOD_META |
	    CDP_MOD_SHIFT)) {
		cdp_conn_set_error(page->conn, "invalid modifiers %#x",
		    modifiers);
		return ERR_INVALID;
	}
	if ((r = input_begin(page, 0, 0, &sid)) != 0)
		return r;
	/*
	 * With Ctrl, Alt or Meta held a key types nothing: it is a
	 * shortcut (Ctrl+A selects all), sent as a raw key down.
	 */
	if (modifiers & (CDP_MOD_ALT | CDP_MOD_CTRL | CDP_MOD_META))
		k.text = NULL;
	if ((r = key_event(page, sid, k.text != NULL ? "keyDown" :
	    "rawKeyDown", &k, modifiers, 0)) != 0)
		goto out;
	r = key_event(page, sid, "keyUp", &k, modifiers, 1);
out:
	free(sid);
	return r;
}

/* Inserts text at the focus. */
int
cdp_input_insert_text(struct cdp_page *page, const char *text)
{
	cJSON *p;
	char *sid = NULL;
	int r;

	if (text == NULL || strlen(text) > INPUT_TEXT_MAX) {
		cdp_conn_set_error(page->conn, "invalid text to insert");
		return ERR_INVALID;
	}
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "text", text) == NULL) {
		cJSON_Delete(p);
		return ERR_NOMEM;
	}
	if ((r = input_begin(page, 0, 0, &sid)) != 0) {
		cJSON_Delete(p);
		return r;
	}
	r = cdp_call(page->conn, sid, "Input.insertText", p, 0, NULL);
	free(sid);
	return r;
}

/* Scrolls with the mouse wheel at x,y. */
int
cdp_input_scroll(struct cdp_page *page, double x, double y, double dx,
    double dy)
{
	cJSON *p;
	char *sid = NULL;
	int r;

	if (!isfinite(dx) || !isfinite(dy) || fabs(dx) > 1e6 ||
	    fabs(dy) > 1e6) {
		cdp_conn_set_error(page->conn, "invalid scroll %g,%g", dx, dy);
		return ERR_INVALID;
	}
	if ((r = input_begin(page, x, y, &sid)) != 0)
		return r;
	if ((p = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(p, "type", "mouseWheel") == NULL ||
	    cJSON_AddNumberToObject(p, "x", x) == NULL ||
	    cJSON_AddNumberToObject(p, "y", y) == NULL ||
	    cJSON_AddNumberToObject(p, "deltaX", dx) == NULL ||
	    cJSON_AddNumberToObject(p, "deltaY", dy) == NULL ||
	    cJSON_AddStringToObject(p, "pointerType", "mouse") == NULL) {
		cJSON_Delete(p);
		free(sid);
		return ERR_NOMEM;
	}
	r = cdp_call(page->conn, sid, "Input.dispatchMouseEvent", p, 0, NULL);
	free(sid);
	return r;
}
