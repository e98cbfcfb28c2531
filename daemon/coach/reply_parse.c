/*
 * The reply parser: what a runner types on a phone, read as a pain score,
 * a command, done/skipped or a red-flag report.
 *
 * The text goes through five steps, all on fixed-size buffers:
 *
 *   1. checks: length, strict UTF-8, no NUL bytes;
 *   2. folding: what a reader sees, in ASCII where it matters (fullwidth
 *      and Arabic-Indic digits, Unicode spaces); invisible characters go;
 *   3. trimming: quoted e-mail lines and their quote header ("On ...
 *      wrote:") are dropped, and everything from a signature on ("--
 *      Anna", "Sent from my iPhone") is cut;
 *   4. tokens: ASCII words (case-folded here, never through the locale),
 *      numbers with their decimal part, symbols; emoji and other
 *      non-ASCII symbols are noise that only separates tokens;
 *   5. readings: a command; else every number is classified as a score,
 *      "plainly not a score" (a distance, sets x reps, a time, a date, a
 *      count above 10, yesterday's score, a change such as "down by 2",
 *      the scale of "0-10" or "out of 10", a number word used as a
 *      pronoun, "the first one") or a reason to refuse (-2, 2.3, pain 12,
 *      "for out of ten" as dictated for "four", "more than 3"); a reply
 *      with no score but such a number is refused too ("11", "20 reps
 *      done").  Two scores given as a range ("3-4", "2 or 3") are one,
 *      the upper end; a score said of another body part than the hip
 *      ("shin 6, hip 2") is not the hip's.  Red-flag phrases are looked
 *      for independently, with negations ("no pain at rest", "no rest
 *      or night pain") and answers ("pain at rest? no") cancelling
 *      them; an exception to a denial ("no pain except at night"), a
 *      yes or a score for one item ("at rest: a bit", "overnight it was
 *      5"), waking or a small-hours time with pain, a resting position
 *      ("lying on the sofa"), an understatement ("not bad at night")
 *      and poor sleep raise one.  A score of "last night" is a red flag
 *      and, the day's highest counting, wins over a lower one.
 *
 * Every word the parser knows is in the tables below, so adding a unit or
 * a red-flag phrase is a one-line change.
 */
#include "reply_parse.h"

#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- tables */

/* Spellings folded to one form before matching ("cant" is "can't"). */
static const struct {
	const char *from, *to;
} word_aliases[] = {
	{ "cant", "can't" },       { "cannot", "can't" },
	{ "couldnt", "couldn't" }, { "dont", "don't" },
	{ "doesnt", "doesn't" },   { "didnt", "didn't" },
	{ "isnt", "isn't" },       { "wasnt", "wasn't" },
	{ "arent", "aren't" },     { "werent", "weren't" },
	{ "hasnt", "hasn't" },     { "havent", "haven't" },
	{ "hadnt", "hadn't" },     { "wont", "won't" },
	{ "wouldnt", "wouldn't" }, { "nite", "night" },
	{ "nights", "night" },     { "painfree", "pain free" },
	{ "outta", "out of" },
};

/* Number words; the ones above 10 exist so that "twenty reps" is read as
 * a quantity and "eleven" is refused like "11". */
static const struct {
	const char *word;
	int value;
} number_words[] = {
	{ "zero", 0 },     { "nil", 0 },       { "none", 0 },
	{ "one", 1 },      { "two", 2 },       { "three", 3 },
	{ "four", 4 },     { "five", 5 },      { "six", 6 },
	{ "seven", 7 },    { "eight", 8 },     { "nine", 9 },
	{ "ten", 10 },     { "eleven", 11 },   { "twelve", 12 },
	{ "thirteen", 13 }, { "fourteen", 14 }, { "fifteen", 15 },
	{ "sixteen", 16 }, { "seventeen", 17 }, { "eighteen", 18 },
	{ "nineteen", 19 }, { "twenty", 20 },   { "thirty", 30 },
	{ "forty", 40 },   { "fifty", 50 },    { "hundred", 100 },
};

/* A number followed by one of these (attached, "5k", or not, "2 km") is a
 * quantity, not a pain score. */
static const char *const units[] = {
	"k", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres",
	"m", "meter", "meters", "metre", "metres", "mi", "mile", "miles",
	"yd", "yds", "yards", "ft", "feet", "cm", "mm", "inch", "inches",
	"min", "mins", "minute", "minutes", "s", "sec", "secs", "second",
	"seconds", "h", "hr", "hrs", "hour", "hours", "rep", "reps", "set",
	"sets", "x", "times", "time", "d", "day", "days", "night", "week",
	"weeks", "wk", "wks", "w", "month", "months", "year", "years", "yr",
	"yrs", "am", "pm", "o'clock", "oclock", "kg", "kgs", "lb", "lbs",
	"pound", "pounds", "percent", "pct", "step", "steps", "lap", "laps",
	"round", "rounds", "bpm", "mph", "kph", "kmh", "cal", "kcal",
	"session", "sessions", "exercise", "exercises", "stretch",
	"stretches", "squat", "squats", "clamshell", "clamshells",
	"rotation", "rotations", "stride", "strides", "interval",
	"intervals", "hill", "hills", "sprint", "sprints", "more",
	"degree", "degrees", "deg", "people", "euro", "euros", "dollars",
};

/* Ordinal endings: "3rd" is a date, not a score. */
static const char *const ordinals[] = { "st", "nd", "rd", "th" };

/* Attached endings that leave a score a score ("6ish"). */
static const char *const score_suffixes[] = { "ish" };

/* A number after one of these is a quantity or a count ("day 3",
 * "ran 5", "sets of 20"). */
static const char *const quantity_before[] = {
	"day", "days", "week", "weeks", "stage", "set", "sets", "rep",
	"reps", "round", "rounds", "lap", "laps", "km", "mile", "miles",
	"ran", "jogged", "walked", "cycled", "biked", "rode", "swam",
	"hiked", "step", "steps", "x", "times", "pace", "number",
};

/* Words right before a number that make it a clock time ("woke up at
 * 3", "until 4"). */
static const char *const time_before[] = {
	"up at", "woke at", "awake at", "bed at", "slept at", "until",
	"till", "til",
};

/* Next to a month name a number is a date. "may" is left out: it is far
 * more often the verb. */
static const char *const months[] = {
	"jan", "january", "feb", "february", "march", "apr", "april",
	"jun", "june", "jul", "july", "aug", "august", "sep", "sept",
	"september", "oct", "october", "nov", "november", "dec", "december",
};

/* Before a number word these make it a pronoun or a count ("this one",
 * "the two of them"). */
static const char *const determiners[] = {
	"this", "that", "the", "which", "every", "each", "any", "another",
	"other", "some", "no", "last", "next", "first", "only", "those",
	"these", "all", "both", "my", "your", "our", "their", "his", "her",
	"second", "third", "either", "neither",
};

/* The number words that are also pronouns ("the first one", "none of
 * them"). */
static const char *const pronoun_numbers[] = { "one", "none" };

/* After a number these make it a fraction that is no valid score ("seven
 * and three quarters"). */
static const char *const fraction_words[] = {
	"quarter", "quarters", "third", "thirds", "fifth", "fifths",
	"eighth", "eighths",
};

/* Before a number word these make it a count ("did three", "had one"). */
static const char *const count_verbs[] = {
	"did", "had", "took", "got", "skipped", "missed", "finished",
	"completed", "tried", "managed", "do", "doing",
};

/* Words that may follow "one" or "none" as a score ("one today", "none
 * at all", "one or two"); any other word right after them makes them a
 * pronoun or a count in a sentence ("one was easy", "one leg hurts",
 * "none were hard"), not a score.  Other number words are not read this
 * way: dropping "seven was the worst" could read a lower score than was
 * said.  "to", "or" and "and" count only before a number ("one to
 * two"). */
static const char *const score_followers[] = {
	"today", "now", "tonight", "atm", "currently", "yesterday", "this",
	"last", "right", "still", "again", "overall", "mostly", "so", "then",
	"maybe", "probably", "perhaps", "possibly", "i", "i'd", "i'm", "id",
	"im", "i've", "ish", "really", "honestly", "tbh", "roughly", "approx",
	"approximately", "about", "around", "tops", "max", "at", "pain",
	"pains", "painful", "hurts", "hurt", "hurting", "ache", "aches",
	"aching", "achy", "sore", "when", "while", "during", "after",
	"before", "on", "in", "for", "with", "since", "from", "if", "unless",
	"because", "cos", "as", "like", "but", "though", "tho", "although",
	"yet", "except", "too", "also", "just", "only", "walking", "running",
	"sitting", "standing", "lying", "jogging", "stretching", "climbing",
	"please", "thanks", "thank", "thx", "ty", "cheers", "coach", "lol",
	"haha", "hip", "hips", "groin", "out", "of", "morning", "evening",
	"afternoon", "night", "score", "level", "here", "mate", "either",
	"way", "whole", "all", "even", "anyway", "whatsoever", "earlier",
	"later", "previously", "initially", "first", "usually", "mostly",
	"generally", "normally", "the", "a", "stairs", "upstairs",
	"downstairs", "getting", "bending", "kneeling", "squatting",
	"lifting", "driving", "cycling", "biking", "swimming", "hiking",
	"worst", "best", "most", "peak", "post", "pre", "flat", "exactly",
	"solid", "throughout", "every", "always", "sometimes",
};
static const char *const followers_before_number[] = { "to", "or", "and" };

/* Words that cancel a red flag or a done/skip up to three words after
 * them ("doesn't really hurt at night"). */
static const char *const negations[] = {
	"not", "never", "without", "don't", "doesn't", "didn't", "isn't",
	"wasn't", "aren't", "weren't", "hasn't", "haven't", "hadn't",
	"won't", "wouldn't", "nor", "hardly", "barely",
};

/* Two-word negations: "no longer hurts at night", "used to hurt at
 * night" (the past is not today's red flag). */
static const char *const negation_phrases[] = {
	"no longer", "no more", "used to",
};

/* Words that cancel only what follows them directly ("no pain at rest");
 * "No it hurts at night" is still a red flag. */
static const char *const negations_adjacent[] = {
	"no", "zero", "none", "nothing", "free",
};

/* A standalone answer to a red-flag question: "pain at rest? No." */
static const char *const no_answers[] = {
	"no", "nope", "nah", "never", "not", "nothing",
};

/* Words that end the reach of a negation ("no pain at rest but it hurts
 * at night"). */
static const char *const clause_breaks[] = {
	"but", "though", "although", "except", "however", "yet", "still",
};

/* Red flags, part one: phrases that are one on their own. */
static const char *const red_flag_phrases[] = {
	"woke me up", "wakes me up", "waking me up", "woken me up",
	"woke me", "wakes me", "waking me", "woken me", "woken up by",
	"woke up in pain", "woke up with pain", "woke up from the pain",
	"woke up because of", "keeps me awake", "kept me awake",
	"keeping me awake", "keeps me up at night", "kept me up at night",
	"can't sleep", "couldn't sleep", "can not sleep", "could not sleep",
	"unable to sleep", "trouble sleeping", "hard to sleep",
	"night pain", "rest pain", "resting pain", "even at rest",
	"even when resting", "even while resting", "even resting",
	"even when sitting", "even sitting", "even lying down",
	"even in bed", "constant pain", "constant ache", "constant aching",
	"wake up in pain", "wake up with pain", "waking up in pain",
	"waking up with pain", "can't walk", "could not walk", "couldn't walk",
	"can't bear weight", "can't put weight", "can not walk",
};

/* Red flags, part two: a pain word and a resting or night context, in
 * either order, a few words apart ("hurts at night", "at rest it aches"). */
static const char *const pain_words[] = {
	"pain", "pains", "painful", "hurts", "hurt", "hurting", "ache",
	"aches", "aching", "achy", "sore", "throbs", "throbbing",
	"throbbed", "ached", "throb", "bad", "worse", "worst",
};

/* After a negation these understate pain rather than deny it: "not bad
 * at night", "not too great at rest", "not much at night" admit some. */
static const char *const understatements[] = {
	"bad", "great", "good", "fine", "ok", "okay", "much", "brilliant",
	"terrible", "awful",
};

/* Words allowed between a negation and its understatement ("not too
 * bad", "isn't that great"). */
static const char *const understatement_degrees[] = {
	"too", "that", "so", "very", "as", "all", "super",
};

static const char *const rest_contexts[] = {
	"at rest", "when resting", "while resting", "when i rest",
	"when i'm resting", "when i am resting", "at night", "in the night",
	"during the night", "overnight", "all night", "in bed",
	"lying down", "when lying", "when i lie down", "while lying",
	"when sitting still", "sitting still", "when i sleep",
	"while sleeping", "when sleeping", "in my sleep", "every night",
	"each night", "all night long", "all the time", "constantly",
	"non stop", "nonstop", "day and night", "last night",
};

/* Resting positions are rest too: "throbbing while I sit here", "aches
 * when I'm lying on the sofa", "lying down it's a 2".  Plain "sitting"
 * is left out: pain on sitting down is a movement. */
static const char *const rest_positions[] = {
	"sit here", "sitting here", "sit still", "lying", "lie down",
	"lie in bed", "i lie", "on the sofa", "on the couch", "on the settee",
	"on my sofa", "on my couch", "in the chair", "in my chair",
	"in a chair", "in bed", "in my bed",
};

/* Waking with pain is night pain: "woke up with it aching", "woke up
 * sore" (a pain word must follow). */
static const char *const waking_words[] = {
	"woke", "woke up", "woken", "woken up", "wake up", "waking",
	"waking up", "awake", "on waking", "when i woke", "when i woke up",
	"when i wake", "when i wake up",
};

/* Right before a rest context these make it the one exception to a
 * denial, so it is reported: "no pain except at night", "not at rest,
 * only at night". */
static const char *const exception_words[] = {
	"except", "except for", "only", "but", "apart from", "other than",
	"besides", "save for", "just", "except when",
};

/* A positive answer to a rest or night item: "at rest: a bit",
 * "pain at night? yes". */
static const char *const yes_answers[] = {
	"yes", "yeah", "yep", "yup", "y", "a bit", "a little", "bit",
	"little", "slightly", "some", "sometimes", "mild", "mildly", "a lot",
	"lots", "kind of", "kinda", "sort of", "a touch", "a tad", "a little bit",
	"occasionally", "definitely", "always",
};

/* Words between a rest context and its score ("overnight it was 5",
 * "lying down it's a 2"). */
static const char *const context_score_fillers[] = {
	"it", "it's", "its", "was", "is", "a", "about", "around", "maybe",
	"pain", "like", "i'd", "say", "probably", "got", "to", "went", "up",
};

/* Sleep that a negation turns into a night-pain report: "didn't sleep
 * well because of the hip", "barely slept". */
static const char *const good_sleep[] = {
	"sleep", "slept", "sleeping", "sleep well", "slept well",
	"sleeping well", "sleep much", "slept much", "get much sleep",
	"got much sleep", "sleep properly", "slept properly",
};

/* Poor sleep said outright. */
static const char *const poor_sleep[] = {
	"slept badly", "slept poorly", "slept terribly", "slept awful",
	"bad night", "rough night", "restless night", "sleepless night",
	"terrible night", "awful night", "poor sleep", "broken sleep",
	"disturbed sleep", "bad sleep", "tossing and turning", "tossed and turned",
};

/* Before an item these join it to a negated one ("no rest or night
 * pain" denies both); "and" is left out: "no swelling and night pain"
 * may report the second. */
static const char *const negation_joins[] = { "or", "nor" };

/* An activity right before a night context says when it was done, not
 * that the hip hurts at night: "ran at night, pain 2". */
static const char *const activities[] = {
	"ran", "run", "running", "runs", "jog", "jogged", "jogging",
	"walk", "walked", "walking", "trained", "training", "train",
	"session", "workout", "exercises", "exercise", "stretched",
	"stretching", "stretches", "bike", "biked", "biking", "cycled",
	"cycling", "rode", "swam", "swimming", "gym",
};

/* After "no pain" / "pain free" these make it a partial statement ("no
 * pain at rest"), which is not a score of 0. */
static const char *const no_pain_qualifiers[] = {
	"at", "when", "while", "during", "in", "on", "after", "before",
	"if", "unless", "except", "with", "walking", "running", "sitting",
	"standing", "lying", "only", "until", "since", "but", "apart",
	"other", "besides", "save", "bar",
};

static const char *const no_pain_phrases[] = {
	"no pain", "pain free",
};

static const char *const done_phrases[] = {
	"done", "did it", "did them", "did that", "did all", "finished",
	"completed", "all done", "done it", "did everything",
	"did the stretches", "did my stretches", "did the exercises",
	"did my exercises", "did the session", "did my session",
};

static const char *const skip_phrases[] = {
	"skip", "skipped", "skipping", "skip it", "missed", "missed it",
	"didn't do it", "did not do it", "couldn't do it", "could not do it",
};

/* Commands, with or without the slash; done and skip as Telegram
 * commands too ("/done"). */
enum cmd_arg { ARG_FREE, ARG_DAYS, ARG_MINUTES };

static const struct {
	const char *word;
	enum coach_command cmd;
	enum cmd_arg arg;
} commands[] = {
	{ "start", COACH_CMD_START, ARG_FREE },
	{ "help", COACH_CMD_HELP, ARG_FREE },
	{ "plan", COACH_CMD_PLAN, ARG_FREE },
	{ "status", COACH_CMD_STATUS, ARG_FREE },
	{ "pause", COACH_CMD_PAUSE, ARG_DAYS },
	{ "resume", COACH_CMD_RESUME, ARG_FREE },
	{ "unpause", COACH_CMD_RESUME, ARG_FREE },
	{ "snooze", COACH_CMD_SNOOZE, ARG_MINUTES },
	{ "cleared", COACH_CMD_CLEARED, ARG_FREE },
	{ "how", COACH_CMD_HOW, ARG_FREE },
};

/* Units of the /pause and /snooze argument, with their factor. */
static const struct {
	const char *word;
	enum cmd_arg arg;
	int factor;
} arg_units[] = {
	{ "d", ARG_DAYS, 1 },        { "day", ARG_DAYS, 1 },
	{ "days", ARG_DAYS, 1 },     { "w", ARG_DAYS, 7 },
	{ "wk", ARG_DAYS, 7 },       { "wks", ARG_DAYS, 7 },
	{ "week", ARG_DAYS, 7 },     { "weeks", ARG_DAYS, 7 },
	{ "m", ARG_MINUTES, 1 },     { "min", ARG_MINUTES, 1 },
	{ "mins", ARG_MINUTES, 1 },  { "minute", ARG_MINUTES, 1 },
	{ "minutes", ARG_MINUTES, 1 }, { "h", ARG_MINUTES, 60 },
	{ "hr", ARG_MINUTES, 60 },   { "hrs", ARG_MINUTES, 60 },
	{ "hour", ARG_MINUTES, 60 }, { "hours", ARG_MINUTES, 60 },
};

#define PAUSE_MAX_DAYS 365
#define SNOOZE_MAX_MINUTES 1440

/* Words that say which day a score belongs to ("3/10 yesterday, 2/10
 * today"): a score labelled as yesterday's is not this reply's score.
 * "morning", "evening" and "night" take their day from the word before
 * them ("last night", "this morning"). */
static const char *const past_labels[] = { "yesterday", "yday", "yest" };
static const char *const now_labels[] = {
	"today", "now", "currently", "tonight", "atm",
};
static const char *const day_parts[] = {
	"morning", "evening", "night", "afternoon",
};
static const char *const day_parts_past[] = { "yesterday", "last" };
/* A score labelled "last night" is pain at night: a red flag, and the
 * day's highest counts ("3 but 6 last night" is 6). */
static const char *const night_parts[] = { "night" };
static const char *const night_parts_past[] = { "last" };
static const char *const day_parts_now[] = { "this", "today", "tonight" };

/* Before a day label these make it a comparison, not a label: "better
 * than yesterday: 2". */
static const char *const label_blockers[] = {
	"than", "since", "as", "like", "from", "vs", "versus", "until",
	"till", "after", "before",
};

/* Words skipped between a score and its day label ("yesterday it was
 * 4", "2 for the hip today"). */
static const char *const label_fillers[] = {
	"was", "is", "it", "it's", "its", "pain", "a", "at", "about",
	"around", "felt", "feels", "feel", "i", "i'm", "hip", "my", "the",
	"level", "score", "only", "just", "maybe", "for",
};

/* Before a number these make it a score label: "pain 12" is a refused
 * score, while a bare 12 elsewhere is a count ("did 12 each side"). */
static const char *const score_labels[] = { "score", "level", "rating" };

/* Words a command may carry without changing it ("help me", "plan
 * please", "pause 3 days please"). */
static const char *const polite_words[] = {
	"please", "pls", "plz", "thanks", "thank", "you", "thx", "ty", "me",
	"now",
};

/* Lines that start a signature or a quoted message: the rest is cut. */
static const char *const cut_line_prefixes[] = {
	"--", "sent from ", "sent via ", "sent with ", "get outlook",
	"from: ", "________",
};

/* The verb of a quote header, a line that ends with ':' ("On ...
 * wrote:", "Am ... schrieb rehabd <...>:", "Le ... a écrit :"); UTF-8
 * in octal escapes, which cannot run into the letters after them. */
static const char *const quote_header_verbs[] = {
	"wrote", "schrieb", "\303\251crit", "escribi\303\263", "scritto",
	"schreef", "skrev", "kirjoitti", "napisa\305\202", "escreveu",
};

/* First words of a quote header wrapped over two lines ("On Mon, 2 Mar
 * 2026 at 07:30,\n rehabd <...> wrote:"). */
static const char *const quote_header_starts[] = {
	"on ", "am ", "le ", "el ", "il ", "op ", "den ", "em ",
};

/* Body parts.  A score said of another part than the hip is not the
 * hip's ("shin 6, hip 2" is 2); a part that may be the hip flexor's own
 * pain (the thigh: rectus femoris is a hip flexor) is one to ask about. */
static const char *const hip_parts[] = {
	"hip", "hips", "groin", "groins", "psoas", "iliopsoas", "flexor",
	"flexors", "hipflexor", "hipflexors", "inguinal",
};
static const char *const other_parts[] = {
	"shin", "shins", "knee", "knees", "kneecap", "kneecaps", "foot",
	"feet", "ankle", "ankles", "calf", "calves", "hamstring",
	"hamstrings", "hammy", "hammies", "neck", "shoulder", "shoulders",
	"spine", "achilles", "heel", "heels", "toe", "toes", "glute",
	"glutes", "buttock", "buttocks", "bum", "butt", "wrist", "wrists",
	"elbow", "elbows", "arm", "arms", "headache", "chest", "stomach",
	"tummy", "belly", "rib", "ribs", "jaw", "itb", "backache", "lumbar",
	"plantar", "soleus", "instep", "tibia", "fibula",
};
static const char *const unclear_parts[] = {
	"thigh", "thighs", "quad", "quads", "quadricep", "quadriceps", "leg",
	"legs", "pelvis", "pelvic", "adductor", "adductors", "tendon",
	"tendons",
};

/* A body part named in an exercise ("calf raises", "quad stretch",
 * "glute bridge", "bent knee", "single leg squat") is not a part the
 * score may be about. */
static const char *const exercise_words[] = {
	"stretch", "stretches", "stretching", "stretched", "raise", "raises",
	"swing", "swings", "squat", "squats", "bridge", "bridges", "curl",
	"curls", "lift", "lifts", "press", "presses", "extension",
	"extensions", "flexion", "abduction", "adduction", "rotation",
	"rotations", "lowering", "lowers", "roll", "rolls", "rolling",
	"circle", "circles", "tap", "taps", "exercise", "exercises", "drill",
	"drills", "workout", "routine", "strengthening", "strength",
	"release", "band", "machine", "lunge", "lunges", "hold", "holds",
	"opener", "openers", "mobility", "kick", "kicks", "slide", "slides",
	"march", "marches", "pull", "pulls", "dips", "day",
};
static const char *const exercise_before[] = { "bent", "straight", "single" };

/* "back" is a body part after one of these ("my back", "lower back"),
 * before a pain word ("back pain") or right before its score ("back 4",
 * "back: 4"); elsewhere it is "back to running". */
static const char *const back_qualifiers[] = {
	"my", "lower", "low", "upper", "mid", "middle", "the", "sore", "bad",
};

/* Words allowed between a score and the body part it is said of: "my
 * shin is at 6", "knee pain 4", "6 in my shin", "2 at the front of the
 * hip". */
static const char *const part_links[] = {
	"is", "was", "are", "were", "at", "a", "an", "the", "my", "its",
	"it's", "it", "pain", "pains", "painful", "hurts", "hurt", "hurting",
	"ache", "aches", "aching", "achy", "sore", "score", "level",
	"rating", "about", "around", "roughly", "approx", "maybe",
	"probably", "currently", "now", "today", "still", "only", "just",
	"feels", "feel", "felt", "feeling", "like", "sits", "sitting",
	"i'd", "id", "say", "rate", "rated", "give", "i", "left", "right",
	"side", "front", "of", "in", "on", "both", "also", "too", "pretty",
	"quite", "bit", "little", "stiff", "tight", "for", "area", "joint",
	"muscle", "inner", "outer", "upper", "lower", "outside", "inside",
	"top", "bottom", "middle", "near", "behind", "below", "under",
	"splints",
};

/* A body part followed by one of these has been given a reading ("knee
 * is fine, 2" is not a score of the knee). */
static const char *const part_fine[] = {
	"fine", "ok", "okay", "good", "great", "alright", "normal", "perfect",
	"grand",
};

/* Words joining body parts that share a score ("hip and knee both 3"). */
static const char *const part_list_words[] = { "and", "or", "&" };

/* A change, not a score: "2 better than yesterday", "down by 2", "1
 * point lower".  The comparatives; the steps between an amount and a
 * comparative; verbs and subjects that make the number after them the
 * amount of a change. */
static const char *const comparatives_down[] = {
	"better", "lower", "less", "fewer", "smaller", "under", "lesser",
};
static const char *const comparatives_up[] = {
	"worse", "higher", "more", "greater", "bigger", "above",
};
static const char *const change_steps[] = {
	"point", "points", "pt", "pts", "notch", "notches", "step", "steps",
	"level", "levels", "bit", "little", "tad", "touch", "lot", "slightly",
	"much", "way", "somewhat", "marginally", "couple", "few",
};
static const char *const change_verbs[] = {
	"dropped", "drop", "dropping", "fell", "fallen", "rose", "risen",
	"increased", "decreased", "improved", "reduced", "jumped", "climbed",
	"worsened", "lowered", "raised", "gained", "eased", "plus", "minus",
};
/* "up" and "down" before a number are a change after these ("went up 2",
 * "it's down 1") or at the start of a clause ("down 2 from yesterday");
 * "standing up 5" and "lying down 3" are not. */
static const char *const change_subjects[] = {
	"went", "gone", "go", "goes", "going", "come", "came", "comes",
	"coming", "is", "it's", "its", "was", "been", "pain", "score", "hip",
	"it", "that's", "thats", "i'm", "im", "moved", "bumped", "creeping",
	"crept",
};

/* Before a bare "10" after "out of" or "/", the words that leave it the
 * scale ("pain out of 10: 3"); any other word stands where a score was
 * said but not understood ("for out of ten" dictated for "four"). */
static const char *const scale_labels[] = {
	"pain", "score", "scored", "rating", "rate", "rated", "rank", "level",
	"scale", "it", "it's", "its", "is", "was", "hip", "say", "give",
	"i'd", "marks", "points", "number", "grade", "graded",
};

/* Words between the ends of a scale ("0 to 10", "1-10"). */
static const char *const scale_joins[] = { "to", "through", "thru", "til" };

/* "/cleared" lifts a red-flag stop, so only plain forms are read: the
 * word alone, "cleared by my doctor", "physio cleared me", "I'm
 * cleared".  Anything negated, hedged or asked is not the command. */
static const char *const clinicians[] = {
	"doctor", "doctors", "doc", "dr", "gp", "physio", "physios",
	"physiotherapist", "physiotherapists", "therapist", "pt",
	"physician", "surgeon", "consultant", "specialist", "orthopedist",
	"orthopaedist", "ortho", "clinician", "medic",
};
static const char *const clinician_words[] = {
	"my", "the", "a", "an", "sports", "physical", "hip", "team", "club",
};
static const char *const cleared_prefixes[] = {
	"i'm", "i am", "im", "i've been", "ive been", "i have been",
	"i got", "got", "been", "i just got", "just got", "i've just been",
	"just been", "officially",
};
static const char *const cleared_tails[] = {
	"to run", "to train", "to start", "for running", "to run again",
	"today", "now", "this morning", "again",
};
static const char *const doubt_words[] = {
	"yet", "tomorrow", "soon", "later", "hopefully", "hope", "maybe",
	"perhaps", "probably", "if", "when", "once", "until", "till", "will",
	"should", "might", "may", "could", "would", "waiting", "wait",
	"pending", "next", "no", "nope", "nah", "not", "never", "unless",
	"whether", "almost", "nearly", "partly", "partially", "kind",
};

/* "how do I do them", "how to do the clamshell": asking how the
 * exercises are done. */
static const char *const how_modals[] = {
	"do", "should", "can", "shall", "could", "would", "must",
};
static const char *const how_subjects[] = { "i", "you", "we", "one" };
static const char *const how_verbs[] = { "do", "perform", "stretch" };
static const char *const how_fillers[] = { "exactly", "again", "though", "then" };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------------------- tokens */

enum tok_kind {
	TK_WORD,
	TK_NUM,
	TK_SYM,
	TK_DONE_MARK, /* a check mark emoji */
	TK_SKIP_MARK, /* a cross emoji */
};

/* What a number turned out to be. */
enum num_class {
	NC_OPEN = 0,
	NC_SCORE,    /* a pain score: score10 */
	NC_QUANTITY, /* plainly not a score */
	NC_BAD,      /* looks like a score but is not a valid one: refuse */
	NC_USED,     /* the "10" of "3/10" */
	NC_WEAK,     /* a 0 for pain at rest or at night: the score only
			when the reply has no other ("at rest 0, running 3") */
	NC_CHANGE,   /* a change or a comparison ("down by 2", "2 better
			than yesterday"): not a score */
	NC_OTHER,    /* a score said of another body part ("shin 6") */
};

struct tok {
	unsigned char kind;
	char sym;          /* TK_SYM: '-' for any dash, '*' for x-signs */
	bool gap;          /* whitespace or noise before it */
	bool newline;      /* a line break before it */
	bool foreign;      /* TK_WORD with non-ASCII letters: never matches */
	bool word_num;     /* TK_NUM written as a word */
	bool multi;        /* TK_NUM with several separators: 1.2.3 */
	bool frac_long;    /* TK_NUM with more than 2 decimals */
	bool half_sign;    /* TK_NUM that is a lone "½" */
	bool range;        /* NC_SCORE: the upper end of a range ("3-4") */
	bool night;        /* NC_SCORE labelled "last night": the highest
			      score of the reply wins over it or loses */
	unsigned char nfrac;
	char frac[2];
	unsigned char cls; /* enum num_class */
	int32_t ival;      /* integer part, capped at NUM_CAP */
	int score10;
	int range_low10;   /* range: the lower end */
	uint16_t lo;       /* range: the index of the lower end's token */
	uint16_t end;      /* TK_NUM: the index after what it took in ("/10",
			      "out of ten", "and a half", the "1/2" of "4 1/2") */
	const char *w;     /* TK_WORD: folded text (not NUL-terminated) */
	size_t wlen;
};

#define NUM_CAP 1000000

struct tokens {
	struct tok t[COACH_REPLY_MAX];
	size_t n;
	char pool[COACH_REPLY_MAX + 64];
	size_t pool_used;
};

/* Decodes one UTF-8 sequence at s[*i], strictly (no overlong forms, no
 * surrogates, nothing above U+10FFFF).  Returns false on invalid input. */
static bool utf8_next(const unsigned char *s, size_t len, size_t *i,
		      uint32_t *cp)
{
	unsigned char c = s[*i];
	size_t n;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return true;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3; v = c & 0x07; min = 0x10000;
	} else {
		return false;
	}
	if (len - *i <= n)
		return false;
	for (size_t k = 1; k <= n; k++) {
		unsigned char cc = s[*i + k];
		if ((cc & 0xC0) != 0x80)
			return false;
		v = (v << 6) | (cc & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return false;
	*cp = v;
	*i += n + 1;
	return true;
}

/* True when the whole text is valid UTF-8 without NUL bytes. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		if (!utf8_next(s, len, &i, &cp) || cp == 0)
			return false;
	}
	return true;
}

/* Decimal digits of other scripts that a phone keyboard may send, as
 * the code point of their zero; fullwidth forms are folded separately. */
static const uint32_t digit_zeros[] = {
	0x0660, /* Arabic-Indic */
	0x06F0, /* Extended Arabic-Indic (Persian, Urdu) */
	0x0966, /* Devanagari */
	0x09E6, /* Bengali */
};

/* Invisible format characters: zero-width spaces and joiners, direction
 * marks, the BOM, the soft hyphen.  A reader does not see them, so they
 * are dropped ("1<ZWSP>0" is 10). */
static bool invisible_cp(uint32_t c)
{
	return c == 0x00AD || c == 0x061C || c == 0x180E ||
	       (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF;
}

/* Unicode spaces, read as a plain space. */
static bool space_cp(uint32_t c)
{
	return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x202F || c == 0x205F || c == 0x3000;
}

/* The ASCII character a code point is read as, 0 to keep it as it is,
 * or -1 to drop it. */
static int fold_cp(uint32_t c)
{
	if (c < 0x80)
		return 0;
	if (invisible_cp(c))
		return -1;
	if (space_cp(c))
		return ' ';
	if (c == 0x0085 || c == 0x2028 || c == 0x2029)
		return '\n';
	if (c >= 0xFF01 && c <= 0xFF5E) /* fullwidth ASCII */
		return (int)(c - 0xFEE0);
	if (c == 0x066B) /* Arabic decimal separator */
		return '.';
	for (size_t k = 0; k < sizeof digit_zeros / sizeof digit_zeros[0]; k++)
		if (c >= digit_zeros[k] && c <= digit_zeros[k] + 9)
			return (int)('0' + (c - digit_zeros[k]));
	return 0;
}

/*
 * Copies valid UTF-8 text into buf with what a reader sees folded to
 * ASCII: other scripts' digits and fullwidth forms to ASCII, Unicode
 * spaces and line separators to ' ' and '\n', invisible characters
 * dropped.  The copy is never longer than the text.  Returns its length.
 */
static size_t fold_text(const char *text, size_t len, char *buf)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, out = 0;

	while (i < len) {
		size_t at = i;
		uint32_t c;
		if (!utf8_next(s, len, &i, &c))
			break; /* checked by the caller already */
		int f = fold_cp(c);
		if (f > 0) {
			buf[out++] = (char)f;
		} else if (f == 0) {
			memcpy(buf + out, text + at, i - at);
			out += i - at;
		}
	}
	return out;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ascii_alpha(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

enum cp_class {
	CP_NOISE,
	CP_SPACE,
	CP_NEWLINE,
	CP_LETTER,
	CP_APOSTROPHE,
	CP_DASH,
	CP_TIMES,
	CP_HALF,
	CP_FRACTION, /* any other vulgar fraction: never a valid score */
	CP_DEGREE,
	CP_DONE,
	CP_SKIP,
};

/* Sorts a non-ASCII code point into what the tokenizer does with it. */
static enum cp_class classify_cp(uint32_t c)
{
	switch (c) {
	case 0x2028: case 0x2029:
		return CP_NEWLINE;
	case 0x00A0: case 0x1680: case 0x202F:
	case 0x205F: case 0x3000: case 0xFEFF:
		return CP_SPACE;
	case 0x2018: case 0x2019: case 0x02BC:
		return CP_APOSTROPHE;
	case 0x2212: case 0xFE63: case 0xFF0D:
		return CP_DASH;
	case 0x00D7: case 0x2715:
		return CP_TIMES;
	case 0x00BD:
		return CP_HALF;
	case 0x00BC: case 0x00BE:
		return CP_FRACTION;
	case 0x00B0:
		return CP_DEGREE;
	case 0x2705: case 0x2714: case 0x2611: case 0x2713:
		return CP_DONE;
	case 0x274C: case 0x274E: case 0x2716: case 0x2717: case 0x2718:
		return CP_SKIP;
	}
	if (c >= 0x2000 && c <= 0x200B)
		return CP_SPACE;
	if (c >= 0x2010 && c <= 0x2015)
		return CP_DASH;
	if (c >= 0x2150 && c <= 0x215F)
		return CP_FRACTION;
	if ((c >= 0x00C0 && c <= 0x024F && c != 0x00F7) ||
	    (c >= 0x0250 && c <= 0x1FFF))
		return CP_LETTER;
	return CP_NOISE;
}

/* Replaces a word by its canonical spelling (word_aliases); the result
 * points at a table string or stays as it is. */
static void canonical_word(const char **w, size_t *wlen)
{
	for (size_t i = 0; i < N_OF(word_aliases); i++) {
		const char *from = word_aliases[i].from;
		if (strlen(from) == *wlen && !memcmp(from, *w, *wlen)) {
			*w = word_aliases[i].to;
			*wlen = strlen(*w);
			return;
		}
	}
}

/* Appends a token; returns NULL when the array is full (cannot happen
 * for input within COACH_REPLY_MAX, which has at most one token a byte). */
static struct tok *tok_push(struct tokens *tk, enum tok_kind kind,
			    bool *gap, bool *newline)
{
	if (tk->n >= N_OF(tk->t))
		return NULL;
	struct tok *t = &tk->t[tk->n++];
	memset(t, 0, sizeof *t);
	t->kind = (unsigned char)kind;
	t->gap = *gap;
	t->newline = *newline;
	*gap = *newline = false;
	return t;
}

/* Reads digits at s[*i]; returns their value capped at NUM_CAP. */
static int32_t read_digits(const unsigned char *s, size_t len, size_t *i)
{
	int32_t v = 0;
	while (*i < len && ascii_digit(s[*i])) {
		if (v < NUM_CAP)
			v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	return v > NUM_CAP ? NUM_CAP : v;
}

/* Reads the decimals of a number at s[*i] (just after the separator) into
 * t, and any further separator groups ("1.2.3") as t->multi. */
static void read_fraction(const unsigned char *s, size_t len, size_t *i,
			  struct tok *t)
{
	while (*i < len && ascii_digit(s[*i])) {
		if (t->nfrac < 2)
			t->frac[t->nfrac] = (char)s[*i];
		else
			t->frac_long = true;
		if (t->nfrac < 3)
			t->nfrac++;
		(*i)++;
	}
	while (*i + 1 < len && (s[*i] == '.' || s[*i] == ',') &&
	       ascii_digit(s[*i + 1])) {
		t->multi = true;
		(*i)++;
		(void)read_digits(s, len, i);
	}
}

/* Turns a word token that is a number word into a number. */
static void word_to_number(struct tok *t)
{
	if (t->foreign)
		return;
	for (size_t i = 0; i < N_OF(number_words); i++) {
		const char *nw = number_words[i].word;
		if (strlen(nw) == t->wlen && !memcmp(nw, t->w, t->wlen)) {
			t->kind = TK_NUM;
			t->word_num = true;
			t->ival = number_words[i].value;
			return;
		}
	}
}

/*
 * Splits text (valid UTF-8) into tokens.  Words are lower-cased ASCII in
 * tk->pool; the tokens point into the pool or into the alias table.
 */
static void tokenize(const char *text, size_t len, struct tokens *tk)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	bool gap = true, newline = false;

	tk->n = 0;
	tk->pool_used = 0;
	while (i < len) {
		size_t at = i;
		uint32_t c;
		struct tok *t;

		if (!utf8_next(s, len, &i, &c))
			return; /* checked by the caller already */
		enum cp_class cls = c < 0x80 ? CP_NOISE : classify_cp(c);

		if (c == '\n' || cls == CP_NEWLINE) {
			gap = newline = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\v' ||
		    c == '\f' || cls == CP_SPACE || (c < 0x20) || c == 0x7F) {
			gap = true;
			continue;
		}
		if (ascii_alpha(c) || cls == CP_LETTER) {
			/* A word: letters, and apostrophes between letters. */
			t = tok_push(tk, TK_WORD, &gap, &newline);
			if (!t)
				return;
			char *w = tk->pool + tk->pool_used;
			size_t wl = 0;
			i = at;
			while (i < len) {
				size_t here = i;
				uint32_t d;
				if (!utf8_next(s, len, &i, &d))
					return;
				enum cp_class dc = d < 0x80 ? CP_NOISE : classify_cp(d);
				if (ascii_alpha(d)) {
					w[wl++] = ascii_lower((char)d);
				} else if (dc == CP_LETTER) {
					t->foreign = true;
				} else if (d == '\'' || dc == CP_APOSTROPHE) {
					size_t peek = i;
					uint32_t e;
					if (i < len && utf8_next(s, len, &peek, &e) &&
					    (ascii_alpha(e) ||
					     (e >= 0x80 && classify_cp(e) == CP_LETTER))) {
						w[wl++] = '\'';
					} else {
						i = here;
						break;
					}
				} else {
					i = here;
					break;
				}
			}
			tk->pool_used += wl;
			t->w = w;
			t->wlen = wl;
			if (!t->foreign) {
				canonical_word(&t->w, &t->wlen);
				word_to_number(t);
			}
			continue;
		}
		if (ascii_digit(c) ||
		    (c == '.' && i < len && ascii_digit(s[i]) &&
		     (gap || tk->n == 0))) {
			t = tok_push(tk, TK_NUM, &gap, &newline);
			if (!t)
				return;
			i = at;
			t->ival = read_digits(s, len, &i);
			if (i + 1 < len && (s[i] == '.' || s[i] == ',') &&
			    ascii_digit(s[i + 1])) {
				i++;
				read_fraction(s, len, &i, t);
			}
			continue;
		}
		if (cls == CP_HALF) {
			struct tok *prev = tk->n ? &tk->t[tk->n - 1] : NULL;
			if (prev && !gap && prev->kind == TK_NUM &&
			    !prev->nfrac && !prev->word_num) {
				prev->frac[0] = '5';
				prev->nfrac = 1;
				continue;
			}
			t = tok_push(tk, TK_NUM, &gap, &newline);
			if (!t)
				return;
			t->frac[0] = '5';
			t->nfrac = 1;
			t->half_sign = true;
			continue;
		}
		if (cls == CP_FRACTION) {
			t = tok_push(tk, TK_NUM, &gap, &newline);
			if (!t)
				return;
			t->frac_long = true; /* never a valid score */
			continue;
		}
		if (cls == CP_DONE || cls == CP_SKIP) {
			if (!tok_push(tk, cls == CP_DONE ? TK_DONE_MARK : TK_SKIP_MARK,
				      &gap, &newline))
				return;
			continue;
		}
		if (c < 0x80 || cls == CP_DASH || cls == CP_TIMES ||
		    cls == CP_DEGREE || cls == CP_APOSTROPHE) {
			t = tok_push(tk, TK_SYM, &gap, &newline);
			if (!t)
				return;
			if (cls == CP_DASH)
				t->sym = '-';
			else if (cls == CP_TIMES)
				t->sym = '*';
			else if (cls == CP_DEGREE)
				t->sym = 'o';
			else if (cls == CP_APOSTROPHE)
				t->sym = '\'';
			else
				t->sym = (char)c;
			continue;
		}
		gap = true; /* emoji and other symbols: noise */
	}
}

/* ------------------------------------------------------- token matching */

static bool is_word(const struct tok *t, const char *s)
{
	return t->kind == TK_WORD && !t->foreign && strlen(s) == t->wlen &&
	       !memcmp(s, t->w, t->wlen);
}

static bool in_list(const struct tok *t, const char *const *list, size_t n)
{
	if (t->kind != TK_WORD || t->foreign)
		return false;
	for (size_t i = 0; i < n; i++)
		if (is_word(t, list[i]))
			return true;
	return false;
}

#define IN(t, list) in_list((t), (list), N_OF(list))

/* A symbol that ends a clause: a negation does not reach past it. */
static bool is_clause_end(const struct tok *t)
{
	if (t->kind == TK_SYM)
		return t->sym && strchr(",.;:!?()", t->sym) != NULL;
	return IN(t, clause_breaks);
}

/*
 * Matches phrase (words separated by single spaces) against the tokens
 * from index i.  An alias may expand to several words ("painfree" is
 * "pain free"), and a hyphen between words is allowed ("pain-free").
 * Returns the index after the match, or 0 when it does not match.
 */
static size_t match_phrase(const struct tokens *tk, size_t i,
			   const char *phrase)
{
	const char *p = phrase;

	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t plen = sp ? (size_t)(sp - p) : strlen(p);

		if (i < tk->n && tk->t[i].kind == TK_SYM && tk->t[i].sym == '-' &&
		    p != phrase && !tk->t[i].gap)
			i++; /* hyphenated */
		if (i >= tk->n || tk->t[i].kind != TK_WORD || tk->t[i].foreign)
			return 0;
		const struct tok *t = &tk->t[i];
		/* The token may hold several phrase words (an alias). */
		if (t->wlen >= plen && !memcmp(t->w, p, plen) &&
		    (t->wlen == plen || t->w[plen] == ' ')) {
			size_t used = plen;
			p += plen;
			while (used < t->wlen) {
				/* the rest of the alias must follow in phrase */
				if (*p != ' ')
					return 0;
				p++;
				const char *sp2 = strchr(p, ' ');
				size_t l2 = sp2 ? (size_t)(sp2 - p) : strlen(p);
				if (t->wlen - used - 1 < l2 ||
				    memcmp(t->w + used + 1, p, l2) ||
				    (used + 1 + l2 != t->wlen &&
				     t->w[used + 1 + l2] != ' '))
					return 0;
				used += 1 + l2;
				p += l2;
			}
			i++;
			if (*p == ' ')
				p++;
			continue;
		}
		return 0;
	}
	return i;
}

/* Matches any phrase of a list at i; returns the end of the longest. */
static size_t match_any(const struct tokens *tk, size_t i,
			const char *const *list, size_t n)
{
	size_t best = 0;
	for (size_t k = 0; k < n; k++) {
		size_t e = match_phrase(tk, i, list[k]);
		if (e > best)
			best = e;
	}
	return best;
}

#define MATCH(tk, i, list) match_any((tk), (i), (list), N_OF(list))

static bool is_negation(const struct tok *t)
{
	return IN(t, negations) || IN(t, negations_adjacent);
}

/* A zero between a pain word and its context negates it ("pain 0 at
 * rest"), and so does one in front ("zero pain at night"). */
static bool is_zero(const struct tok *t)
{
	return t->kind == TK_NUM && t->ival == 0 && !t->nfrac && !t->frac_long;
}

/* True when a two-word negation ("no longer") ends at token i. */
static bool negation_phrase_ends(const struct tokens *tk, size_t i)
{
	for (size_t k = 0; k < N_OF(negation_phrases); k++)
		if (i >= 1 && match_phrase(tk, i - 1, negation_phrases[k]) == i + 1)
			return true;
	return false;
}

/* True when a negation stands within three words before token i (one
 * word for "no" and a zero), in the same clause.  An item joined by "or"
 * to a negated one is negated too: "no rest or night pain". */
static bool negated_before(const struct tokens *tk, size_t i)
{
	size_t words = 0;

	if (i >= 2 && IN(&tk->t[i - 1], negation_joins) && !tk->t[i].newline &&
	    !tk->t[i - 1].newline && tk->t[i - 2].kind == TK_WORD &&
	    negated_before(tk, i - 2))
		return true;
	while (i > 0 && words < 3) {
		const struct tok *t = &tk->t[--i];
		if (is_clause_end(t) || tk->t[i + 1].newline)
			return false;
		if (t->kind == TK_SYM)
			continue;
		if (IN(t, negations) || negation_phrase_ends(tk, i) ||
		    (words == 0 && (IN(t, negations_adjacent) || is_zero(t))))
			return true;
		words++;
	}
	return false;
}

/* ------------------------------------------------------------ red flags */

static bool is_sym(const struct tokens *tk, size_t i, char sym);
static bool is_word_at(const struct tokens *tk, size_t i, const char *w);

/*
 * From i, skips up to max_gap words of the same clause (none of them a
 * negation or an activity: "pain running at night" is pain when running)
 * looking for a phrase of list.  Returns the index after the
 * phrase, or 0 when not found.
 */
typedef size_t (*matcher)(const struct tokens *tk, size_t i);

static size_t phrase_within(const struct tokens *tk, size_t i, size_t max_gap,
			    matcher match)
{
	for (size_t skipped = 0; i < tk->n; i++) {
		size_t e;
		if (i > 0 && tk->t[i].newline)
			return 0;
		if ((e = match(tk, i)) != 0)
			return e;
		const struct tok *t = &tk->t[i];
		if (is_clause_end(t) || is_negation(t) || is_zero(t) ||
		    IN(t, activities))
			return 0;
		if (t->kind == TK_SYM)
			continue;
		if (++skipped > max_gap)
			return 0;
	}
	return 0;
}

/* True when what follows a red-flag phrase (ending before e) answers it
 * with a no: "pain at rest: 0", "Pain at rest? No.", "at night - none".
 * The no must stand alone: "hurts at night? no idea why" is a report. */
static bool answered_no(const struct tokens *tk, size_t e)
{
	while (e < tk->n && tk->t[e].kind == TK_SYM && tk->t[e].sym &&
	       strchr(":-=?", tk->t[e].sym))
		e++;
	if (e >= tk->n || tk->t[e].newline)
		return false;
	if (is_zero(&tk->t[e]))
		return true;
	if (!IN(&tk->t[e], no_answers))
		return false;
	e++;
	if (e < tk->n && is_word(&tk->t[e], "really"))
		e++; /* "not really" */
	return e >= tk->n || tk->t[e].newline || is_clause_end(&tk->t[e]);
}

/* A pain word at i: returns the index after it, or 0. */
static size_t pain_at(const struct tokens *tk, size_t i)
{
	return i < tk->n && IN(&tk->t[i], pain_words) ? i + 1 : 0;
}

/*
 * A clock time in the small hours at i, midnight to 5 am: "3am", "3 am",
 * "2:30am", "12am".  Returns the index after it, or
 * 0.  (The number is a quantity for the score: "3am" is a unit.)
 */
static size_t small_hours_at(const struct tokens *tk, size_t i)
{
	if (i >= tk->n || tk->t[i].kind != TK_NUM || tk->t[i].nfrac ||
	    tk->t[i].multi || tk->t[i].frac_long)
		return 0;
	int h = tk->t[i].ival;
	size_t k = i + 1;
	if (h > 5 && h != 12)
		return 0;
	if (is_sym(tk, k, ':') && k + 1 < tk->n && tk->t[k + 1].kind == TK_NUM)
		k += 2; /* "2:30" */
	if (k < tk->n && tk->t[k].newline)
		return 0;
	/* Only with "am": "4 at night" and "3 in the morning" are more
	 * often scores. */
	return is_word_at(tk, k, "am") ? k + 1 : 0;
}

/* A rest or night context at i, a resting position or a small-hours
 * time; returns the index after it, or 0. */
static size_t rest_at(const struct tokens *tk, size_t i)
{
	size_t e = MATCH(tk, i, rest_contexts), e2;
	if ((e2 = MATCH(tk, i, rest_positions)) > e)
		e = e2;
	if ((e2 = small_hours_at(tk, i)) > e)
		e = e2;
	return e;
}

/* Like rest_at, and waking too ("sore when I woke up"). */
static size_t rest_or_waking_at(const struct tokens *tk, size_t i)
{
	size_t e = rest_at(tk, i), e2 = MATCH(tk, i, waking_words);
	return e2 > e ? e2 : e;
}

/* An understatement at i after a negation ("not bad", "not too great"):
 * returns the index after it, or 0. */
static size_t understatement_at(const struct tokens *tk, size_t i)
{
	if (i >= tk->n || !IN(&tk->t[i], negations))
		return 0;
	i++;
	while (i < tk->n && IN(&tk->t[i], understatement_degrees))
		i++;
	return i < tk->n && !tk->t[i].newline && IN(&tk->t[i], understatements) ?
	       i + 1 : 0;
}

/* True when the clause from e on denies something ("but at night it's
 * fine", "only at night, no"); an understatement ("not bad") is no
 * denial. */
static bool clause_denies(const struct tokens *tk, size_t e)
{
	if (answered_no(tk, e))
		return true;
	for (; e < tk->n && !tk->t[e].newline && !is_clause_end(&tk->t[e]); e++) {
		size_t u = understatement_at(tk, e);
		if (u) {
			e = u - 1;
			continue;
		}
		if (is_negation(&tk->t[e]) || is_zero(&tk->t[e]) ||
		    IN(&tk->t[e], part_fine))
			return true;
	}
	return false;
}

/* True when what follows a rest context (ending before e) gives it a
 * score above zero or a yes: "overnight it was 5", "lying down it's a
 * 2", "at rest: a bit". */
static bool context_answered_yes(const struct tokens *tk, size_t e)
{
	size_t words = 0;

	while (e < tk->n && tk->t[e].kind == TK_SYM && tk->t[e].sym &&
	       strchr(":-=?", tk->t[e].sym))
		e++;
	if (e < tk->n && !tk->t[e].newline && MATCH(tk, e, yes_answers))
		return true;
	while (e < tk->n && !tk->t[e].newline && words < 4 &&
	       IN(&tk->t[e], context_score_fillers)) {
		e++;
		words++;
	}
	return e < tk->n && tk->t[e].kind == TK_NUM && !is_zero(&tk->t[e]) &&
	       !tk->t[e].newline && !small_hours_at(tk, e) &&
	       !(e + 1 < tk->n && IN(&tk->t[e + 1], units));
}

/* True when token i is inside a rest or night context that follows an
 * activity: "ran at night pain 2" is a run at night, not night pain. */
static bool in_activity_context(const struct tokens *tk, size_t i)
{
	for (size_t k = i >= 3 ? i - 3 : 0; k <= i; k++)
		if (k > 0 && IN(&tk->t[k - 1], activities) &&
		    rest_at(tk, k) > i)
			return true;
	return false;
}

/* True when a verb negation ("didn't", "barely", "not") stands within two
 * words before token i: "didn't sleep well".  "No" is left out: "no
 * sleep problems" is no report. */
static bool verb_negated_before(const struct tokens *tk, size_t i)
{
	for (size_t words = 0; i > 0 && words < 2; words++) {
		const struct tok *t = &tk->t[--i];
		if (is_clause_end(t) || tk->t[i + 1].newline)
			return false;
		if (IN(t, negations))
			return true;
	}
	return false;
}

/*
 * True when the tokens report pain at rest or at night, not negated.
 * Besides the red-flag phrases: a pain word and a rest context (a night
 * or rest phrase, a resting position, a small-hours time) either way
 * round; waking with a pain word; a rest context with a score above zero
 * or a yes; a rest context that is the exception to a denial ("no pain
 * except at night"); an understated one ("not bad at night"); poor sleep
 * ("didn't sleep well").
 */
static bool find_red_flag(const struct tokens *tk)
{
	for (size_t i = 0; i < tk->n; i++) {
		bool hit = false, asserted = false;
		size_t e;

		if (in_activity_context(tk, i))
			continue;
		if ((e = MATCH(tk, i, red_flag_phrases)) != 0) {
			hit = !answered_no(tk, e);
		} else if ((e = MATCH(tk, i, exception_words)) != 0 &&
			   (i == 0 || !IN(&tk->t[i - 1], activities)) &&
			   e < tk->n && !tk->t[e].newline && rest_at(tk, e)) {
			/* "no pain except at night", "only at night"; not
			 * "but at night it's fine" */
			hit = asserted = !clause_denies(tk, rest_at(tk, e));
		} else if ((e = understatement_at(tk, i)) != 0) {
			/* "not bad at night": some pain at night */
			hit = asserted = phrase_within(tk, e, 3, rest_at) != 0;
		} else if ((e = MATCH(tk, i, good_sleep)) != 0) {
			/* "didn't sleep well because of the hip"; not
			 * "never slept better" */
			hit = asserted = verb_negated_before(tk, i) &&
					 !(e < tk->n && IN(&tk->t[e], comparatives_down));
		} else if ((e = MATCH(tk, i, poor_sleep)) != 0) {
			hit = true;
		} else if (IN(&tk->t[i], pain_words)) {
			/* "hurts at night", "pain even at rest", "aches when
			 * I'm lying on the sofa"; not "pain at rest 0" */
			e = phrase_within(tk, i + 1, 3, rest_or_waking_at);
			hit = e && !answered_no(tk, e);
		} else if ((e = MATCH(tk, i, waking_words)) != 0) {
			/* "woke up with it aching" */
			hit = phrase_within(tk, e, 4, pain_at) != 0;
		} else if ((e = rest_at(tk, i)) != 0) {
			/* "at night it hurts"; "at rest 3"; "overnight it
			 * was 5"; "at rest: a bit" */
			hit = phrase_within(tk, e, 4, pain_at) != 0 ||
			      context_answered_yes(tk, e);
		} else if (tk->t[i].kind == TK_NUM && !is_zero(&tk->t[i]) &&
			   i + 1 < tk->n && !tk->t[i + 1].newline &&
			   rest_at(tk, i + 1)) {
			/* "3 at rest", "6 last night": a score for pain at
			 * rest or at night */
			hit = true;
		}
		if (hit && (asserted || !negated_before(tk, i)))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------- numbers */

static bool is_sym(const struct tokens *tk, size_t i, char sym)
{
	return i < tk->n && tk->t[i].kind == TK_SYM && tk->t[i].sym == sym;
}

static bool is_num(const struct tokens *tk, size_t i)
{
	return i < tk->n && tk->t[i].kind == TK_NUM;
}

/* True when token i is exactly the number 10 ("/10", "out of ten"). */
static bool is_ten(const struct tokens *tk, size_t i)
{
	if (!is_num(tk, i))
		return false;
	const struct tok *t = &tk->t[i];
	if (t->ival != 10 || t->multi || t->frac_long)
		return false;
	for (size_t k = 0; k < t->nfrac; k++)
		if (t->frac[k] != '0')
			return false;
	return true;
}

/* The score of a number token x10, or -1 when it is not a valid score
 * (above 10, or a fraction other than a half). */
static int score_of(const struct tok *t)
{
	int f = 0;

	if (t->multi || t->frac_long || t->ival > 10)
		return -1;
	if (t->nfrac >= 1) {
		if (t->frac[0] == '5')
			f = 5;
		else if (t->frac[0] != '0')
			return -1;
		if (t->nfrac == 2 && t->frac[1] != '0')
			return -1;
	}
	int v = t->ival * 10 + f;
	return v > 100 ? -1 : v;
}

/* A whole number above 10: never a score, whatever its context. */
static bool is_big(const struct tok *t)
{
	return t->ival > 10 && !t->nfrac && !t->multi && !t->frac_long;
}

static void set_class(struct tokens *tk, size_t i, enum num_class c)
{
	if (i < tk->n && tk->t[i].kind == TK_NUM)
		tk->t[i].cls = (unsigned char)c;
}

static bool is_word_at(const struct tokens *tk, size_t i, const char *w)
{
	return i < tk->n && is_word(&tk->t[i], w);
}

/* True when token i is a word of list (IN with a bounds check). */
static bool word_in(const struct tokens *tk, size_t i, const char *const *list,
		    size_t n)
{
	return i < tk->n && in_list(&tk->t[i], list, n);
}

#define WORD_IN(tk, i, list) word_in((tk), (i), (list), N_OF(list))

/* True when word t ends in "'s" ("yesterday's", "hip's"). */
static bool is_possessive(const struct tok *t)
{
	return t->kind == TK_WORD && t->wlen > 2 &&
	       !memcmp(t->w + t->wlen - 2, "'s", 2);
}

/* A plain whole number: no decimals, no half, not 1.2.3. */
static bool is_whole(const struct tok *t)
{
	return t->kind == TK_NUM && !t->nfrac && !t->multi && !t->frac_long &&
	       !t->half_sign;
}

/*
 * A fraction after a whole number at token i: "4 1/2", "4 and 1/2",
 * "2 ½".  Returns the index after the fraction and sets *half when it is
 * a half (other fractions, "3 3/4", are no valid score), or returns 0
 * when there is none.  "3 1/2/2026" is a date, not a fraction.
 */
static size_t mixed_fraction(const struct tokens *tk, size_t i, bool *half)
{
	size_t j = i + 1;

	if (!is_whole(&tk->t[i]))
		return 0;
	if (is_word_at(tk, j, "and") || is_sym(tk, j, '&'))
		j++;
	if (!is_num(tk, j) || tk->t[j].newline || !tk->t[j].gap)
		return 0;
	if (tk->t[j].half_sign) {
		*half = true;
		return j + 1;
	}
	const struct tok *a = &tk->t[j];
	if (!is_whole(a) || a->word_num || !is_sym(tk, j + 1, '/') ||
	    tk->t[j + 1].gap || !is_num(tk, j + 2) || tk->t[j + 2].gap)
		return 0;
	const struct tok *b = &tk->t[j + 2];
	if (!is_whole(b) || b->word_num)
		return 0;
	if ((is_sym(tk, j + 3, '/') || is_sym(tk, j + 3, '-')) &&
	    !tk->t[j + 3].gap && is_num(tk, j + 4) && !tk->t[j + 4].gap &&
	    !is_ten(tk, j + 4))
		return 0; /* 3 1/2/2026 */
	if (a->ival < 1 || a->ival >= b->ival ||
	    (b->ival != 2 && b->ival != 3 && b->ival != 4 && b->ival != 8))
		return 0;
	*half = a->ival * 2 == b->ival;
	return j + 3;
}

/*
 * The class of a 10 that is the scale, not a score: the "10" of "out of
 * 10" or "/10" with no number of its own before it, and of "scale of 10".
 * A word right before "out of" stands where the score was said, in a
 * form not understood ("for out of ten", dictated for "four"; "too out
 * of 10"): refused, never read as the 10.  NC_OPEN when token i is no
 * such 10.
 */
static enum num_class scale_ten(const struct tokens *tk, size_t i)
{
	size_t k;

	if (i == 0 || !is_ten(tk, i))
		return NC_OPEN;
	if (is_sym(tk, i - 1, '/'))
		k = i - 1;
	else if (match_phrase(tk, i - 1, "out of") == i)
		k = i - 1; /* "outta" is one token */
	else if (i >= 2 && match_phrase(tk, i - 2, "out of") == i)
		k = i - 2;
	else if (i >= 2 && is_word(&tk->t[i - 1], "of") &&
		 IN(&tk->t[i - 2], scale_labels))
		return NC_USED; /* "on a scale of 10" */
	else
		return NC_OPEN;
	if (k == 0 || tk->t[k].newline)
		return NC_USED; /* "out of 10, I'd say 4" */
	const struct tok *w = &tk->t[k - 1];
	if (w->kind != TK_WORD || IN(w, scale_labels))
		return NC_USED; /* "(out of 10)", "pain out of 10: 3" */
	if (IN(w, units) || IN(w, quantity_before))
		return NC_QUANTITY;
	return NC_BAD;
}

/* True when tokens from i are the scale itself, "0-10", "1 to 10",
 * "zero to ten", "between 0 and 10"; *end is set after it. */
static bool scale_pair(const struct tokens *tk, size_t i, size_t *end)
{
	const struct tok *t = &tk->t[i];
	size_t j = i + 1;

	if (!is_whole(t) || (t->ival != 0 && t->ival != 1))
		return false;
	if (is_sym(tk, j, '-') || is_sym(tk, j, '~') || WORD_IN(tk, j, scale_joins) ||
	    (is_word_at(tk, j, "and") && i > 0 && is_word(&tk->t[i - 1], "between")))
		j++;
	else
		return false;
	if (!is_ten(tk, j) || tk->t[j].newline || WORD_IN(tk, j + 1, units))
		return false;
	*end = j + 1;
	return true;
}

/* True when the word at token i is a comparative ("better", "worse",
 * "up"), not "lower back". */
static bool comparative_at(const struct tokens *tk, size_t i)
{
	if (i >= tk->n || tk->t[i].newline)
		return false;
	if ((is_word(&tk->t[i], "lower") || is_word(&tk->t[i], "upper")) &&
	    is_word_at(tk, i + 1, "back"))
		return false;
	return WORD_IN(tk, i, comparatives_down) || WORD_IN(tk, i, comparatives_up) ||
	       is_word(&tk->t[i], "up") || is_word(&tk->t[i], "down");
}

/*
 * The class of number token i when it is a change or a bound rather than
 * a score: "2 better than yesterday", "1 point lower", "down by 2", "went
 * up 1", the 4 of "a point lower than yesterday's 4" (NC_CHANGE); "more
 * than 3", "over 3" (NC_BAD: reading 3 would be lower than what was
 * said).  "less than 3" and "no more than 3" are read as 3, an upper
 * bound.  NC_OPEN when it is none of these.  nx is the token after the
 * number and what it took in.
 */
static enum num_class change_class(const struct tokens *tk, size_t i, size_t nx)
{
	size_t k = nx;

	/* after it: "2 better", "1 point lower", "2 up from Monday" */
	if (WORD_IN(tk, k, change_steps) && !tk->t[k].newline)
		k++;
	if (comparative_at(tk, k))
		return NC_CHANGE;
	if (i == 0 || tk->t[i].newline)
		return NC_OPEN;
	const struct tok *p = &tk->t[i - 1];
	if (is_word(p, "by") || IN(p, change_verbs))
		return NC_CHANGE;
	if ((is_word(p, "up") || is_word(p, "down")) &&
	    (i == 1 || tk->t[i - 1].newline || is_clause_end(&tk->t[i - 2]) ||
	     IN(&tk->t[i - 2], change_subjects)))
		return NC_CHANGE;
	if (is_word(p, "over") || is_word(p, "above"))
		return NC_BAD;
	/* "3 (down from 4)": the number it changed from */
	if (is_word(p, "from") && i >= 2 &&
	    (is_word(&tk->t[i - 2], "up") || is_word(&tk->t[i - 2], "down") ||
	     IN(&tk->t[i - 2], change_verbs)))
		return NC_CHANGE;
	/* "... than [yesterday's|the|my] N" */
	size_t c = i - 1;
	while (c > 0 && (is_word(&tk->t[c], "the") || is_word(&tk->t[c], "my") ||
			 is_possessive(&tk->t[c])))
		c--;
	if (!is_word(&tk->t[c], "than") || c == 0)
		return NC_OPEN;
	c--; /* the comparative */
	if (c > 0 && (tk->t[c - 1].kind == TK_NUM || IN(&tk->t[c - 1], change_steps)))
		return NC_CHANGE; /* "a point lower than 4": 4 is the base */
	if (IN(&tk->t[c], comparatives_up))
		return c > 0 && (is_word(&tk->t[c - 1], "no") ||
				 is_word(&tk->t[c - 1], "not") ||
				 is_word(&tk->t[c - 1], "never")) ? NC_OPEN : NC_BAD;
	return NC_OPEN;
}

/* True when number word i is part of a sentence, not a score: after a
 * count verb ("did three"), or followed by a word that does not follow a
 * score ("one was easy", "two friends", "one leg"). */
static bool word_in_sentence(const struct tokens *tk, size_t i, size_t nx)
{
	const struct tok *t = &tk->t[i];

	if (!t->word_num)
		return false;
	if (i > 0 && !t->newline && IN(&tk->t[i - 1], count_verbs))
		return true;
	bool pronoun = false;
	for (size_t k = 0; k < N_OF(pronoun_numbers); k++)
		pronoun |= strlen(pronoun_numbers[k]) == t->wlen &&
			   !memcmp(pronoun_numbers[k], t->w, t->wlen);
	if (!pronoun || nx >= tk->n || tk->t[nx].newline ||
	    tk->t[nx].kind != TK_WORD || tk->t[nx].foreign)
		return false;
	if (IN(&tk->t[nx], followers_before_number))
		return !is_num(tk, nx + 1);
	return !IN(&tk->t[nx], score_followers);
}

/*
 * A decimal said in words after number token i, "nine point five", "two
 * point 5": returns the index after it and sets *digit to its first
 * decimal ('5', '0', or another, no valid score), or returns 0.
 */
static size_t spoken_decimal(const struct tokens *tk, size_t i, char *digit)
{
	const struct tok *d;

	if (!is_whole(&tk->t[i]) || !is_word_at(tk, i + 1, "point") ||
	    !is_num(tk, i + 2) || tk->t[i + 2].newline)
		return 0;
	d = &tk->t[i + 2];
	if (!is_whole(d) || d->ival > 9)
		*digit = 'x';
	else
		*digit = (char)('0' + d->ival);
	return i + 3;
}

/* Sets what number token i took in (its "/10", its fraction) and its
 * class. */
static void set_score(struct tok *t, size_t end)
{
	int v = score_of(t);

	t->cls = v < 0 ? NC_BAD : NC_SCORE;
	t->score10 = v;
	t->end = (uint16_t)end;
}

/*
 * Classifies number token i (and the numbers it pairs with: the 20 of
 * 3x20, the 30 of 7:30, the 10 of 3/10, the 1/2 of 4 1/2).  The order
 * matters: structure first (fractions, dates, times, scales), then units
 * and context words, then the value itself.
 */
static void classify_number(struct tokens *tk, size_t i)
{
	struct tok *t = &tk->t[i];
	const struct tok *prev = i > 0 ? &tk->t[i - 1] : NULL;
	size_t nx = i + 1, k;
	const struct tok *next = nx < tk->n ? &tk->t[nx] : NULL;
	bool half = false;

	t->lo = (uint16_t)i;
	t->end = (uint16_t)(i + 1);
	if (t->multi) { /* 1.2.2025, 1.2.3 */
		t->cls = NC_QUANTITY;
		return;
	}
	/* "4 1/2", "2 ½": a whole number and a half. */
	if ((k = mixed_fraction(tk, i, &half)) != 0) {
		for (size_t m = i + 1; m < k; m++)
			set_class(tk, m, NC_USED);
		if (!half) {
			t->cls = NC_BAD;
			return;
		}
		t->frac[0] = '5';
		t->nfrac = 1;
		nx = k;
		next = nx < tk->n ? &tk->t[nx] : NULL;
	}
	/* "2 and a half" (also "2 and a half out of 10") */
	{
		k = match_phrase(tk, nx, "and a half");
		if (!k)
			k = match_phrase(tk, nx, "and half");
		if (k && !t->nfrac) {
			t->frac[0] = '5';
			t->nfrac = 1;
			nx = k;
			next = nx < tk->n ? &tk->t[nx] : NULL;
		}
	}
	/* Dates 2/3/2025 and 2025-03-02: three numbers, one separator. */
	for (const char *sep = "/-"; nx == i + 1 && *sep; sep++) {
		if (is_sym(tk, i + 1, *sep) && !tk->t[i + 1].gap &&
		    is_num(tk, i + 2) && !tk->t[i + 2].gap &&
		    is_sym(tk, i + 3, *sep) && !tk->t[i + 3].gap &&
		    is_num(tk, i + 4) && !tk->t[i + 4].gap) {
			set_class(tk, i, NC_QUANTITY);
			set_class(tk, i + 2, NC_QUANTITY);
			set_class(tk, i + 4, NC_QUANTITY);
			return;
		}
	}
	/* A sign in front: "-2", "+1" is a change, refused; "+49 170 ..."
	 * is a phone number.  A dash between numbers is a range ("3-4"),
	 * read as two numbers and joined later. */
	if (prev && prev->kind == TK_SYM && (prev->sym == '-' || prev->sym == '+') &&
	    !t->gap && !t->word_num &&
	    (i < 2 || prev->gap || tk->t[i - 2].kind != TK_NUM)) {
		t->cls = is_big(t) ? NC_QUANTITY : NC_BAD;
		return;
	}
	/* Times: 7:30. */
	if (is_sym(tk, i + 1, ':') && !tk->t[i + 1].gap && is_num(tk, i + 2) &&
	    !tk->t[i + 2].gap) {
		t->cls = NC_QUANTITY;
		set_class(tk, i + 2, NC_QUANTITY);
		return;
	}
	/* The scale, not a score: "0-10", "1 to 10", the 10 of "out of 10"
	 * with no number before it, "10-point scale". */
	if (scale_pair(tk, i, &k)) {
		set_class(tk, i, NC_USED);
		set_class(tk, k - 1, NC_USED);
		return;
	}
	{
		enum num_class c = scale_ten(tk, i);
		if (c != NC_OPEN) {
			t->cls = (unsigned char)c;
			return;
		}
		k = nx;
		if (is_sym(tk, k, '-'))
			k++;
		if (is_ten(tk, i) && is_word_at(tk, k + 1, "scale") &&
		    (is_word_at(tk, k, "point") || is_word_at(tk, k, "pt"))) {
			t->cls = NC_USED;
			return;
		}
	}
	/* "/10" after something that is not a number. */
	if (prev && prev->kind == TK_SYM && prev->sym == '/') {
		t->cls = NC_QUANTITY;
		return;
	}
	/* Sets x reps: 3x20, 3 x 20, 3×20, 3*20; and 3x, x3. */
	{
		k = nx;
		bool times = false;
		if (k < tk->n && (is_word(&tk->t[k], "x") || is_sym(tk, k, '*'))) {
			times = true;
			k++;
		}
		if (times) {
			t->cls = NC_QUANTITY;
			if (is_num(tk, k))
				set_class(tk, k, NC_QUANTITY);
			return;
		}
		if (prev && (is_word(prev, "x") || (prev->kind == TK_SYM &&
						   prev->sym == '*'))) {
			t->cls = NC_QUANTITY;
			return;
		}
	}
	/* N/10 is a score, N/anything else a date or a ratio ("3/4" may be
	 * 3 out of 4, a date or a range: refused). */
	if (is_sym(tk, nx, '/') && is_num(tk, nx + 1)) {
		if (is_ten(tk, nx + 1)) {
			set_class(tk, nx + 1, NC_USED);
			set_score(t, nx + 2);
		} else {
			t->cls = NC_QUANTITY;
			set_class(tk, nx + 1, NC_QUANTITY);
		}
		return;
	}
	/* "4 out of 10", "4 of 10"; "3 of the sets", "one of them". */
	{
		k = match_phrase(tk, nx, "out of");
		if (!k)
			k = match_phrase(tk, nx, "of");
		if (k) {
			if (is_ten(tk, k)) {
				set_class(tk, k, NC_USED);
				set_score(t, k + 1);
			} else {
				t->cls = NC_QUANTITY;
				set_class(tk, k, NC_QUANTITY);
			}
			return;
		}
	}
	/* Percent and degrees. */
	if (next && next->kind == TK_SYM && (next->sym == '%' || next->sym == 'o')) {
		t->cls = NC_QUANTITY;
		return;
	}
	/* "nine point five"; "seven and three quarters" */
	{
		char digit;
		if (nx == i + 1 && (k = spoken_decimal(tk, i, &digit)) != 0) {
			set_class(tk, i + 2, NC_USED);
			if (digit != '0' && digit != '5') {
				t->cls = NC_BAD;
				return;
			}
			t->frac[0] = digit;
			t->nfrac = 1;
			nx = k;
			next = nx < tk->n ? &tk->t[nx] : NULL;
		}
		k = nx;
		if (is_word_at(tk, k, "and") || is_word_at(tk, k, "a"))
			k++;
		if (is_num(tk, k) && WORD_IN(tk, k + 1, fraction_words)) {
			set_class(tk, k, NC_USED);
			t->cls = NC_BAD;
			return;
		}
		if (WORD_IN(tk, nx, fraction_words) && !tk->t[nx].newline) {
			t->cls = NC_BAD; /* "3 quarters" */
			return;
		}
	}
	/* An attached ending: 5k, 20min, 3rd, 6ish; anything else is not
	 * a plain number. */
	if (next && next->kind == TK_WORD && !next->gap && nx == i + 1) {
		if (IN(next, units) || IN(next, ordinals)) {
			t->cls = NC_QUANTITY;
			return;
		}
		if (!IN(next, score_suffixes)) {
			t->cls = NC_BAD;
			return;
		}
		nx++; /* "6ish" */
	}
	/* A unit after it: "2 km", "30 s", "3 sets". */
	{
		k = nx;
		while (k < tk->n && tk->t[k].kind == TK_SYM && tk->t[k].sym == '-')
			k++; /* "5-km" */
		if (k < tk->n && (IN(&tk->t[k], units) || IN(&tk->t[k], months))) {
			t->cls = NC_QUANTITY;
			return;
		}
	}
	/* A counting word before it: "day 3", "ran 5", "sets of 20". */
	if (prev) {
		k = i - 1;
		while (k > 0 && tk->t[k].kind == TK_SYM && !is_clause_end(&tk->t[k]))
			k--;
		const struct tok *pw = &tk->t[k];
		if (IN(pw, quantity_before) || IN(pw, months) ||
		    (is_word(pw, "of") && k > 0 &&
		     (IN(&tk->t[k - 1], units) || IN(&tk->t[k - 1], quantity_before)))) {
			t->cls = NC_QUANTITY;
			return;
		}
		if (t->word_num && IN(pw, determiners)) {
			t->cls = NC_QUANTITY;
			return;
		}
		/* "pain 12", "score: 15" are scores out of range */
		if (is_big(t) && (IN(pw, pain_words) || IN(pw, score_labels))) {
			t->cls = NC_BAD;
			return;
		}
		for (size_t p = 0; p < N_OF(time_before); p++) {
			const char *ph = time_before[p];
			size_t words = 1;
			for (const char *c = ph; *c; c++)
				words += *c == ' ';
			if (i >= words && match_phrase(tk, i - words, ph) == i) {
				t->cls = NC_QUANTITY;
				return;
			}
		}
	}
	/* A change or a comparison: "down by 2", "2 better than
	 * yesterday", "more than 3". */
	{
		enum num_class c = change_class(tk, i, nx);
		if (c != NC_OPEN) {
			t->cls = (unsigned char)c;
			return;
		}
	}
	/* A number word in a sentence: "one was easy", "did three". */
	if (word_in_sentence(tk, i, nx)) {
		t->cls = NC_QUANTITY;
		return;
	}
	/* A whole number above 10 in no score form (not N/10, not "pain
	 * N") is a count: "did 15 each side", "since 2015".  Alone it is
	 * still refused, for want of any score. */
	if (is_big(t)) {
		t->cls = NC_QUANTITY;
		return;
	}
	set_score(t, nx);
}

/* What the numbers of a reply add up to. */
struct numbers {
	int score10;       /* the one score, or -1 */
	int low10;         /* a range: its lower end, or -1 */
	bool ambiguous;    /* two different scores */
	bool bad;          /* a number that is not a valid score */
	bool quantity;     /* a number that is plainly not a score */
};

/* Adds a score (low: the lower end of a range, or -1).  The same score
 * twice is one; two ranges with one upper end and different lower ends
 * are two readings. */
static void add_score(struct numbers *nb, int v, int low)
{
	if (nb->score10 >= 0 && nb->score10 != v) {
		nb->ambiguous = true;
		return;
	}
	if (low >= 0 && nb->low10 >= 0 && nb->low10 != low)
		nb->ambiguous = true;
	nb->score10 = v;
	if (low >= 0)
		nb->low10 = low;
}

/* ---------------------------------------------------------------- ranges */

/* Ends of a range further apart than this are asked about ("2-9"). */
#define RANGE_MAX_WIDTH10 20

/*
 * Joins two scores given as a range, "3-4", "3–4", "3 to 4", "2 or 3",
 * "between 2 and 3", "2-3/10", into one score: the upper end, the safer
 * reading, which remembers the lower.  Ends out of order, equal or more
 * than RANGE_MAX_WIDTH10 apart ("5-3", "3-3", "2-9") are refused: a
 * person would ask.  A range whose upper end is a quantity ("3-4 km",
 * "2 or 3 sets") is a quantity as a whole.
 */
static void join_ranges(struct tokens *tk)
{
	for (size_t i = 0; i < tk->n; i++) {
		struct tok *a = &tk->t[i];
		size_t c, b;

		if (a->kind != TK_NUM)
			continue;
		/* "Jan 2-3", "ran 5 or 6": a range of quantities */
		if (a->cls == NC_QUANTITY) {
			b = i + 2;
			bool dash = is_sym(tk, i + 1, '-') && !tk->t[i + 1].gap &&
				    b < tk->n && !tk->t[b].gap;
			bool word = is_word_at(tk, i + 1, "to") ||
				    is_word_at(tk, i + 1, "or");
			if ((dash || word) && is_num(tk, b) && !tk->t[b].newline &&
			    tk->t[b].cls == NC_SCORE)
				tk->t[b].cls = NC_QUANTITY;
			continue;
		}
		if (a->cls != NC_SCORE)
			continue;
		c = a->end;
		bool between = i > 0 && (is_word(&tk->t[i - 1], "between") ||
					 (is_word(&tk->t[i - 1], "a") && i > 1 &&
					  is_word(&tk->t[i - 2], "between")));
		if (c >= tk->n || tk->t[c].newline)
			continue;
		if (is_sym(tk, c, '-') || is_sym(tk, c, '~') ||
		    is_word_at(tk, c, "to") || is_word_at(tk, c, "or") ||
		    (between && (is_word_at(tk, c, "and") || is_sym(tk, c, '&'))))
			b = c + 1;
		else if (is_sym(tk, c, ',') && is_word_at(tk, c + 1, "or"))
			b = c + 2;
		else
			continue;
		if (is_word_at(tk, b, "a"))
			b++; /* "between a 2 and a 3" */
		if (!is_num(tk, b) || tk->t[b].newline)
			continue;
		struct tok *bt = &tk->t[b];
		if (bt->cls == NC_QUANTITY) {
			a->cls = NC_QUANTITY;
			continue;
		}
		if (bt->cls != NC_SCORE)
			continue;
		/* "went from 5 to 3", "up from 2 to 3": a change, and the
		 * number after "to" is where it is now. */
		if (is_word_at(tk, c, "to") && i > 1 &&
		    is_word(&tk->t[i - 1], "from") &&
		    (IN(&tk->t[i - 2], change_subjects) ||
		     IN(&tk->t[i - 2], change_verbs) ||
		     is_word(&tk->t[i - 2], "up") || is_word(&tk->t[i - 2], "down"))) {
			a->cls = NC_CHANGE;
			continue;
		}
		if (bt->score10 <= a->score10 ||
		    bt->score10 - a->score10 > RANGE_MAX_WIDTH10) {
			a->cls = bt->cls = NC_BAD;
			continue;
		}
		a->cls = NC_USED;
		bt->range = true;
		bt->range_low10 = a->score10;
		bt->lo = a->lo;
		i = b - 1;
	}
}

/* ------------------------------------------------------ day labels */

enum day_label { DL_NONE, DL_PAST, DL_NOW, DL_NIGHT };

/* The day the word at token j names: "yesterday", "today", "last
 * night", "this morning". */
static enum day_label day_label_at(const struct tokens *tk, size_t j)
{
	const struct tok *t = &tk->t[j];

	if (j > 0 && !t->newline && IN(&tk->t[j - 1], label_blockers))
		return DL_NONE;
	if (IN(t, past_labels))
		return DL_PAST;
	if (IN(t, now_labels))
		return DL_NOW;
	if (IN(t, day_parts) && j > 0 && !t->newline) {
		if (IN(t, night_parts) && IN(&tk->t[j - 1], night_parts_past))
			return DL_NIGHT;
		if (IN(&tk->t[j - 1], day_parts_past))
			return DL_PAST;
		if (IN(&tk->t[j - 1], day_parts_now))
			return DL_NOW;
	}
	return DL_NONE;
}

/* Ends the search for a score's day label: a comma, a full stop, a
 * bracket, "but"; not a colon ("yesterday: 4"). */
static bool label_stop(const struct tok *t)
{
	if (t->kind == TK_SYM)
		return t->sym && strchr(",.;!?()", t->sym) != NULL;
	return IN(t, clause_breaks);
}

/* The day label in front of the score at token i ("yesterday it was 4"). */
static enum day_label label_before(const struct tokens *tk, size_t i)
{
	size_t fillers = 0;

	while (i > 0 && !tk->t[i].newline) {
		const struct tok *t = &tk->t[--i];
		if (label_stop(t))
			return DL_NONE;
		if (t->kind == TK_SYM)
			continue;
		if (IN(t, label_fillers) && ++fillers <= 3)
			continue;
		return t->kind == TK_WORD ? day_label_at(tk, i) : DL_NONE;
	}
	return DL_NONE;
}

/* The day label after the score at token i ("3/10 yesterday", "2 this
 * morning"), past the "/10" or "out of 10" that belongs to it. */
static enum day_label label_after(const struct tokens *tk, size_t i)
{
	size_t j = i + 1, fillers = 0;

	while (j < tk->n && (is_sym(tk, j, '/') || is_word(&tk->t[j], "out") ||
			     is_word(&tk->t[j], "of") ||
			     (tk->t[j].kind == TK_NUM && tk->t[j].cls == NC_USED)))
		j++;
	for (; j < tk->n && !tk->t[j].newline; j++) {
		const struct tok *t = &tk->t[j];
		if (label_stop(t))
			return DL_NONE;
		if (t->kind == TK_SYM)
			continue;
		if (IN(t, label_fillers) && ++fillers <= 3)
			continue;
		if ((IN(t, day_parts_past) || IN(t, day_parts_now)) &&
		    j + 1 < tk->n && IN(&tk->t[j + 1], day_parts))
			j++; /* "this morning" */
		return t->kind == TK_WORD ? day_label_at(tk, j) : DL_NONE;
	}
	return DL_NONE;
}

/*
 * A score labelled as yesterday's ("3/10 yesterday, 2/10 today", "2 (was
 * 4 yesterday)") is not the reply's score: it becomes a quantity, so a
 * reply with only yesterday's score is refused.  A score with a label on
 * both sides ("3/10 yesterday 2/10 today") takes the side that the
 * scores labelled on one side only use.
 */
static void drop_past_scores(struct tokens *tk)
{
	int before = 0, after = 0;

	for (size_t i = 0; i < tk->n; i++) {
		if (tk->t[i].kind != TK_NUM || tk->t[i].cls != NC_SCORE)
			continue;
		enum day_label l = label_before(tk, tk->t[i].lo);
		enum day_label r = label_after(tk, i);
		before += l != DL_NONE && r == DL_NONE;
		after += r != DL_NONE && l == DL_NONE;
	}
	for (size_t i = 0; i < tk->n; i++) {
		if (tk->t[i].kind != TK_NUM || tk->t[i].cls != NC_SCORE)
			continue;
		enum day_label l = label_before(tk, tk->t[i].lo);
		enum day_label r = label_after(tk, i);
		enum day_label d = l == DL_NONE ? r : r == DL_NONE ? l : l == r ? l :
				   before && !after ? l : after && !before ? r :
				   DL_NONE;
		if (d == DL_PAST)
			tk->t[i].cls = NC_QUANTITY;
		else if (d == DL_NIGHT)
			tk->t[i].night = true;
	}
}

/* True when the number at token i is the score of a rest or night
 * context right next to it: "0 at night", "0 pain at night", "pain at
 * rest: 0". */
static bool rest_qualified(const struct tokens *tk, size_t i)
{
	size_t j = i + 1, k = i;

	while (j < tk->n && tk->t[j].kind == TK_SYM && tk->t[j].sym &&
	       strchr(":-=", tk->t[j].sym))
		j++;
	if (j < tk->n && IN(&tk->t[j], pain_words))
		j++; /* "0 pain at night" */
	if (j < tk->n && !tk->t[j].newline && MATCH(tk, j, rest_contexts))
		return true;
	while (k > 0 && tk->t[k - 1].kind == TK_SYM && tk->t[k - 1].sym &&
	       strchr(":-=", tk->t[k - 1].sym))
		k--;
	for (size_t from = k >= 5 ? k - 5 : 0; from < k; from++)
		if (MATCH(tk, from, rest_contexts) == k)
			return !tk->t[i].newline;
	return false;
}

/* ----------------------------------------------------------- body parts */

enum part { PART_NONE, PART_HIP, PART_OTHER, PART_UNCLEAR };

/* Words between a body part and what says it is fine ("knee is fine"). */
static const char *const part_fine_fillers[] = {
	"is", "feels", "feel", "feeling", "felt", "seems", "was", "all",
	"totally", "completely", "fully", "now", "still", "pretty", "quite",
	"also", "too", "today", "the", "my",
};

/* True when word t is in list, also as a possessive ("hip's"). */
static bool part_in(const struct tok *t, const char *const *list, size_t n)
{
	if (in_list(t, list, n))
		return true;
	if (t->foreign || !is_possessive(t))
		return false;
	for (size_t k = 0; k < n; k++) {
		size_t l = t->wlen - 2;
		if (strlen(list[k]) == l && !memcmp(list[k], t->w, l))
			return true;
	}
	return false;
}

#define PART_IN(t, list) part_in((t), (list), N_OF(list))

/* The body part token i names, if any. */
static enum part part_at(const struct tokens *tk, size_t i)
{
	if (i >= tk->n || tk->t[i].kind != TK_WORD || tk->t[i].foreign)
		return PART_NONE;
	const struct tok *t = &tk->t[i];
	size_t n = i + 1;
	if (n < tk->n && is_sym(tk, n, '-') && !tk->t[n].gap)
		n++; /* "calf-raises" */
	if ((n < tk->n && !tk->t[n].newline && IN(&tk->t[n], exercise_words)) ||
	    (i > 0 && !t->newline && IN(&tk->t[i - 1], exercise_before)))
		return PART_NONE;
	if (PART_IN(t, hip_parts))
		return PART_HIP;
	if (PART_IN(t, unclear_parts))
		return PART_UNCLEAR;
	if (PART_IN(t, other_parts))
		return is_word(t, "foot") && i > 0 && is_word(&tk->t[i - 1], "on") ?
		       PART_NONE : PART_OTHER; /* "on foot" */
	if ((is_word(t, "band") || is_word(t, "band's")) && i > 0 &&
	    is_word(&tk->t[i - 1], "it"))
		return PART_OTHER; /* the IT band */
	if ((is_word(t, "back") || is_word(t, "back's")) &&
	    ((i > 0 && !t->newline && IN(&tk->t[i - 1], back_qualifiers)) ||
	     (i + 1 < tk->n && !tk->t[i + 1].newline &&
	      (IN(&tk->t[i + 1], pain_words) || is_sym(tk, i + 1, ':') ||
	       (is_num(tk, i + 1) && tk->t[i + 1].gap)))))
		return PART_OTHER;
	return PART_NONE;
}

/* What a score said of parts a and b is: the hip's when the hip is one
 * of them ("hip and knee both 3"), else one to ask about when a part may
 * be the hip's own pain. */
static enum part part_merge(enum part a, enum part b)
{
	if (a == PART_HIP || b == PART_HIP)
		return PART_HIP;
	if (a == PART_UNCLEAR || b == PART_UNCLEAR)
		return PART_UNCLEAR;
	return a != PART_NONE ? a : b;
}

static bool ends_part_clause(const struct tok *t)
{
	return t->kind == TK_SYM && t->sym && strchr(",;.!?", t->sym) != NULL;
}

/*
 * The body part named right before token from with only part_links
 * between ("my shin is at 6", "knee pain 4"), with the parts listed
 * together with it ("hip and knee both 3").  Marks the parts in said
 * (when not NULL).
 */
static enum part part_before(const struct tokens *tk, size_t from, bool *said)
{
	enum part p = PART_NONE;
	size_t k = from;

	while (k > 0 && !(k < tk->n && tk->t[k].newline)) {
		const struct tok *t = &tk->t[--k];
		enum part q = part_at(tk, k);
		if (q != PART_NONE) {
			p = part_merge(p, q);
			if (said)
				said[k] = true;
			continue;
		}
		if (ends_part_clause(t))
			break;
		if (p == PART_NONE) {
			if (t->kind == TK_SYM || IN(t, part_links))
				continue;
		} else if (IN(t, part_list_words) || is_sym(tk, k, '&') ||
			   is_sym(tk, k, '/') || is_word(t, "my") ||
			   is_word(t, "the") || is_word(t, "left") ||
			   is_word(t, "right")) {
			continue;
		}
		break;
	}
	return p;
}

/* The body part named right after token from ("6 in my shin", "2 for
 * the knee", "3 (knee)"); marks it in said (when not NULL). */
static enum part part_after(const struct tokens *tk, size_t from, bool *said)
{
	for (size_t k = from; k < tk->n && !tk->t[k].newline; k++) {
		const struct tok *t = &tk->t[k];
		enum part q = part_at(tk, k);
		if (q != PART_NONE) {
			if (said)
				said[k] = true;
			return q;
		}
		/* "2 - knee a bit sore": a dash or colon after a score
		 * starts something else */
		if (ends_part_clause(t) || is_sym(tk, k, '-') || is_sym(tk, k, ':') ||
		    (t->kind != TK_SYM && !IN(t, part_links)))
			break;
	}
	return PART_NONE;
}

/* The body part of what tokens [lo, end) say: the part before it, else
 * the part after it. */
static enum part part_of(const struct tokens *tk, size_t lo, size_t end,
			 bool *said)
{
	enum part p = part_before(tk, lo, said);
	return p != PART_NONE ? p : part_after(tk, end, said);
}

/* True when the body part at token k is given a reading in words: "knee
 * is fine", "no knee pain", "knee: no pain", "shins ok". */
static bool part_read_in_words(const struct tokens *tk, size_t k)
{
	size_t j = k + 1;

	if (k > 0 && !tk->t[k].newline && IN(&tk->t[k - 1], negations_adjacent))
		return true;
	for (int words = 0; j < tk->n && !tk->t[j].newline && words < 4; j++) {
		const struct tok *t = &tk->t[j];
		if (IN(t, part_fine) || MATCH(tk, j, no_pain_phrases))
			return true;
		if (ends_part_clause(t))
			return false;
		if (t->kind == TK_SYM)
			continue;
		if (!IN(t, part_fine_fillers))
			return false;
		words++;
	}
	return false;
}

/*
 * Sorts the scores by the body part they are said of.  Another part's
 * score ("shin 6", "my knee is at 7") becomes NC_OTHER: not the hip's.
 * A score said of a part that may be the hip flexor's own pain (the
 * thigh, the leg) is one to ask about (NC_BAD).  A score said of no part
 * after a part left without a reading ("knee is sore, 2": the knee's or
 * the hip's?) is refused too, unless the hip has a score of its own
 * ("hip 2, knee sore, ..."); before it ("2, knee a bit sore") it is the
 * answer to the question about the hip.  A reply that names no part is
 * left as it is.
 */
static void sort_by_part(struct tokens *tk)
{
	bool said[COACH_REPLY_MAX];
	unsigned char part[COACH_REPLY_MAX];
	bool any = false, hip_scored = false;
	size_t first_open = tk->n;

	for (size_t i = 0; i < tk->n; i++)
		any |= part_at(tk, i) != PART_NONE;
	if (!any)
		return;
	memset(said, 0, sizeof said);
	for (size_t i = 0; i < tk->n; i++) {
		const struct tok *t = &tk->t[i];
		part[i] = PART_NONE;
		if (t->kind == TK_NUM && t->cls == NC_SCORE)
			part[i] = (unsigned char)part_of(tk, t->lo, t->end, said);
		hip_scored |= part[i] == PART_HIP;
		size_t e = MATCH(tk, i, no_pain_phrases);
		if (e)
			hip_scored |= part_of(tk, i, e, said) == PART_HIP;
	}
	for (size_t k = 0; k < tk->n && first_open == tk->n; k++) {
		enum part p = part_at(tk, k);
		if ((p == PART_OTHER || p == PART_UNCLEAR) && !said[k] &&
		    !part_read_in_words(tk, k))
			first_open = k;
	}
	for (size_t i = 0; i < tk->n; i++) {
		struct tok *t = &tk->t[i];
		if (t->kind != TK_NUM || t->cls != NC_SCORE)
			continue;
		if (part[i] == PART_OTHER)
			t->cls = NC_OTHER;
		else if (part[i] == PART_UNCLEAR)
			t->cls = NC_BAD;
		else if (part[i] == PART_NONE && !hip_scored && t->lo > first_open)
			t->cls = NC_BAD;
	}
}

/* Reads all numbers and "no pain" phrases of the tokens. */
static void read_numbers(struct tokens *tk, struct numbers *nb)
{
	bool weak_zero = false;
	const struct tok *night = NULL; /* the highest "last night" score */

	nb->score10 = nb->low10 = -1;
	nb->ambiguous = nb->bad = nb->quantity = false;

	for (size_t i = 0; i < tk->n; i++) {
		struct tok *t = &tk->t[i];
		if (t->kind == TK_NUM && t->cls == NC_OPEN)
			classify_number(tk, i);
	}
	join_ranges(tk);
	drop_past_scores(tk);
	sort_by_part(tk);
	for (size_t i = 0; i < tk->n; i++) {
		struct tok *t = &tk->t[i];
		if (t->kind == TK_NUM && t->cls == NC_SCORE && t->score10 == 0 &&
		    rest_qualified(tk, i))
			t->cls = NC_WEAK;
	}
	for (size_t i = 0; i < tk->n; i++) {
		const struct tok *t = &tk->t[i];
		if (t->kind != TK_NUM)
			continue;
		switch ((enum num_class)t->cls) {
		case NC_SCORE:
			if (t->night) {
				if (!night || t->score10 > night->score10)
					night = t;
				break;
			}
			add_score(nb, t->score10, t->range ? t->range_low10 : -1);
			break;
		case NC_BAD: nb->bad = true; break;
		case NC_QUANTITY: case NC_CHANGE: case NC_OTHER:
			nb->quantity = true;
			break;
		case NC_WEAK: weak_zero = true; break;
		case NC_USED: case NC_OPEN: break;
		}
	}
	/* "no pain", "pain free": 0, unless qualified ("no pain at rest"). */
	for (size_t i = 0; i < tk->n; i++) {
		size_t e = MATCH(tk, i, no_pain_phrases);
		if (!e)
			continue;
		/* "no pain in my knee" is not the hip's; "no pain in the
		 * hip" is, qualified or not. */
		enum part p = part_of(tk, i, e, NULL);
		if (p == PART_OTHER || p == PART_UNCLEAR)
			continue;
		size_t all = match_phrase(tk, e, "at all");
		if (all)
			e = all;
		else if (p != PART_HIP && e < tk->n && !tk->t[e].newline &&
			 IN(&tk->t[e], no_pain_qualifiers))
			continue;
		if (i > 0 && negated_before(tk, i) && !is_word(&tk->t[i], "no"))
			continue; /* "not pain free" */
		add_score(nb, 0, -1);
		i = e - 1;
	}
	if (weak_zero && nb->score10 < 0)
		nb->score10 = 0;
	/* "3 but 6 last night": the day's highest counts, so a score of
	 * last night is kept when it is the higher. */
	if (night && night->score10 > nb->score10) {
		nb->score10 = night->score10;
		nb->low10 = night->range ? night->range_low10 : -1;
	}
}

/* --------------------------------------------------------- done / skip */

/* Counts done and skip statements; a negated one ("not done yet") counts
 * as *negated. */
static void read_adherence(const struct tokens *tk, int *done, int *skip,
			   bool *negated)
{
	*done = *skip = 0;
	*negated = false;
	for (size_t i = 0; i < tk->n; i++) {
		const struct tok *t = &tk->t[i];
		size_t e;
		if (t->kind == TK_DONE_MARK) {
			(*done)++;
			continue;
		}
		if (t->kind == TK_SKIP_MARK) {
			(*skip)++;
			continue;
		}
		size_t ed = MATCH(tk, i, done_phrases);
		size_t es = MATCH(tk, i, skip_phrases);
		if (!ed && !es)
			continue;
		if (negated_before(tk, i)) {
			*negated = true;
		} else if (es >= ed) {
			(*skip)++;
		} else {
			(*done)++;
		}
		e = es > ed ? es : ed;
		i = e - 1;
	}
}

/* ------------------------------------------------------------- commands */

/* Looks up a command word; returns its index in commands[] or -1. */
static int find_command(const char *w, size_t wlen)
{
	for (size_t i = 0; i < N_OF(commands); i++)
		if (strlen(commands[i].word) == wlen &&
		    !memcmp(commands[i].word, w, wlen))
			return (int)i;
	return -1;
}

/* Writes a number as the command's first argument. */
static void set_int_arg(struct coach_reply *out, int v)
{
	char tmp[16];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < sizeof tmp);
	for (size_t k = 0; k < n; k++)
		out->args[0][k] = tmp[n - 1 - k];
	out->args[0][n] = '\0';
	out->n_args = 1;
}

/* True when tokens [from, tk->n) are only punctuation and polite words
 * ("please", "me"). */
static bool only_polite(const struct tokens *tk, size_t from)
{
	for (size_t i = from; i < tk->n; i++)
		if (tk->t[i].kind != TK_SYM && !IN(&tk->t[i], polite_words))
			return false;
	return true;
}

/* The factor of a unit word of arg at token i, or 0 when it is none. */
static int arg_unit_factor(const struct tokens *tk, size_t i, enum cmd_arg arg)
{
	for (size_t k = 0; i < tk->n && k < N_OF(arg_units); k++)
		if (arg_units[k].arg == arg && is_word(&tk->t[i], arg_units[k].word))
			return arg_units[k].factor;
	return 0;
}

/*
 * Reads the argument of /pause or /snooze from tokens [from, tk->n):
 * nothing, or "[for] N|a [unit]" and nothing else but punctuation and
 * polite words ("pause for a week please").  Writes
 * the value in days or minutes to out->args[0].  Returns false when the
 * words are not such an argument.
 */
static bool read_duration(const struct tokens *tk, size_t from,
			  enum cmd_arg arg, struct coach_reply *out)
{
	size_t i = from;
	int factor = 1;
	long v;

	out->n_args = 0;
	/* a sign is not punctuation: "/pause -3" is refused */
	while (i < tk->n && tk->t[i].kind == TK_SYM && tk->t[i].sym != '-' &&
	       tk->t[i].sym != '+')
		i++;
	if (only_polite(tk, i))
		return true;
	if (is_word(&tk->t[i], "for"))
		i++;
	if (i < tk->n && (is_word(&tk->t[i], "a") || is_word(&tk->t[i], "an")) &&
	    arg_unit_factor(tk, i + 1, arg)) {
		v = 1; /* "pause for a week" */
		i++;
	} else {
		if (!is_num(tk, i))
			return false;
		const struct tok *n = &tk->t[i++];
		if (n->nfrac || n->multi || n->frac_long || n->ival <= 0)
			return false;
		v = n->ival;
	}
	if (i < tk->n && tk->t[i].kind == TK_WORD &&
	    !IN(&tk->t[i], polite_words)) {
		factor = arg_unit_factor(tk, i, arg);
		if (!factor)
			return false;
		i++;
	}
	if (!only_polite(tk, i))
		return false;
	v *= factor;
	if (v > (arg == ARG_DAYS ? PAUSE_MAX_DAYS : SNOOZE_MAX_MINUTES))
		return false;
	set_int_arg(out, (int)v);
	return true;
}

/* Copies the words of s (split at ASCII whitespace) into out->args, each
 * cut to fit at a UTF-8 character boundary, at most COACH_REPLY_MAX_ARGS. */
static void free_args(const char *s, size_t len, struct coach_reply *out)
{
	size_t i = 0;

	out->n_args = 0;
	while (i < len && out->n_args < COACH_REPLY_MAX_ARGS) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
				   s[i] == '\r'))
			i++;
		size_t start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
		       s[i] != '\r')
			i++;
		size_t wl = i - start;
		if (!wl)
			break;
		if (wl > COACH_REPLY_ARG_MAX - 1) {
			wl = COACH_REPLY_ARG_MAX - 1;
			/* back off to the start of a UTF-8 character */
			while (wl > 0 && ((unsigned char)s[start + wl] & 0xC0) == 0x80)
				wl--;
		}
		char *a = out->args[out->n_args++];
		memcpy(a, s + start, wl);
		a[wl] = '\0';
	}
}

/* True when the tokens hold a question mark. */
static bool has_question(const struct tokens *tk)
{
	for (size_t i = 0; i < tk->n; i++)
		if (is_sym(tk, i, '?'))
			return true;
	return false;
}

/*
 * True when the words after /cleared, tokens [from, tk->n), leave it a
 * plain statement ("/cleared doctor checked it"): no question, no
 * negation or hedge ("/cleared not yet", "/cleared hopefully
 * tomorrow"), no "but", no number, no red flag.
 */
static bool cleared_words_ok(const struct tokens *tk, size_t from)
{
	for (size_t i = from; i < tk->n; i++) {
		const struct tok *t = &tk->t[i];
		if (is_sym(tk, i, '?') || t->kind == TK_NUM || is_negation(t) ||
		    IN(t, doubt_words) || IN(t, clause_breaks) ||
		    negation_phrase_ends(tk, i) ||
		    (t->kind == TK_WORD && t->foreign))
			return false;
	}
	return !find_red_flag(tk);
}

/* The end of a clinician at token i ("my doctor", "the sports physio",
 * "Dr Smith"), or 0 when there is none. */
static size_t clinician_at(const struct tokens *tk, size_t i)
{
	size_t words = 0;

	while (words < 3 && WORD_IN(tk, i, clinician_words)) {
		i++;
		words++;
	}
	if (!WORD_IN(tk, i, clinicians))
		return 0;
	i++;
	/* a name: "Dr Smith cleared me", "cleared by Dr Smith" */
	if (i < tk->n && tk->t[i].kind == TK_WORD && !tk->t[i].foreign &&
	    (is_word(&tk->t[i - 1], "dr") || is_word(&tk->t[i - 1], "doctor") ||
	     is_word(&tk->t[i - 1], "doc")) &&
	    !is_negation(&tk->t[i]) && !IN(&tk->t[i], doubt_words) &&
	    !IN(&tk->t[i], polite_words) && !IN(&tk->t[i], clause_breaks) &&
	    !is_word(&tk->t[i], "cleared") && !is_word(&tk->t[i], "has") &&
	    !is_word(&tk->t[i], "says") && !is_word(&tk->t[i], "said") &&
	    (i + 1 >= tk->n || tk->t[i + 1].kind == TK_SYM ||
	     is_word(&tk->t[i + 1], "cleared") || is_word(&tk->t[i + 1], "has") ||
	     is_word(&tk->t[i + 1], "says") || is_word(&tk->t[i + 1], "said") ||
	     IN(&tk->t[i + 1], polite_words)))
		i++;
	return i;
}

/*
 * The plain forms of /cleared without the slash: "cleared", "cleared by
 * my doctor", "doctor cleared me", "the physio has cleared me", "doctor
 * says I'm cleared", "I'm cleared", "I've been cleared by the physio",
 * optionally "to run" or "today" and polite words.  Only these: the
 * command lifts a red-flag stop, so a negated, hedged or asked form
 * ("not cleared yet", "haven't been cleared", "cleared?") is not it and
 * is read as whatever else it says.  Fills out and returns true on a
 * match.
 */
static bool parse_cleared(const struct tokens *tk, struct coach_reply *out)
{
	size_t i = 0, e, c;

	if (has_question(tk))
		return false;
	while (i < tk->n && (tk->t[i].kind == TK_SYM || IN(&tk->t[i], polite_words)))
		i++;
	if ((c = clinician_at(tk, i)) != 0) {
		e = c;
		if (is_word_at(tk, e, "has") || is_word_at(tk, e, "have"))
			e++;
		if (is_word_at(tk, e, "just"))
			e++;
		if (is_word_at(tk, e, "cleared") && is_word_at(tk, e + 1, "me")) {
			e += 2;
		} else if (is_word_at(tk, e, "says") || is_word_at(tk, e, "said")) {
			size_t p = match_phrase(tk, e + 1, "i'm");
			if (!p)
				p = match_phrase(tk, e + 1, "i am");
			if (!p)
				p = match_phrase(tk, e + 1, "im");
			if (!p || !is_word_at(tk, p, "cleared"))
				return false;
			e = p + 1;
		} else {
			return false;
		}
	} else {
		e = MATCH(tk, i, cleared_prefixes);
		if (!e)
			e = i;
		if (!is_word_at(tk, e, "cleared"))
			return false;
		e++;
		if (is_word_at(tk, e, "by")) {
			if ((c = clinician_at(tk, e + 1)) == 0)
				return false;
			e = c;
		}
	}
	if ((c = MATCH(tk, e, cleared_tails)) != 0)
		e = c;
	if (!only_polite(tk, e))
		return false;
	out->kind = COACH_REPLY_COMMAND;
	out->command = COACH_CMD_CLEARED;
	out->n_args = 0;
	return true;
}

/*
 * True when the tokens ask how an exercise is done: "how" alone ("how?",
 * "how exactly?"), "how do I do them", "how should I do the clamshell",
 * "how to do it", "how do I stretch", "how is it done".  Not "how are
 * you", "how much", "how long", "how am I doing".  The caller checks that
 * the reply holds no score and no red flag.
 */
static bool how_question(const struct tokens *tk)
{
	size_t i = 0, end = tk->n;

	while (i < tk->n && (tk->t[i].kind == TK_SYM || IN(&tk->t[i], polite_words)))
		i++;
	while (end > i && (tk->t[end - 1].kind == TK_SYM ||
			   IN(&tk->t[end - 1], polite_words)))
		end--;
	if (is_word_at(tk, i, "how's") && end > i + 1 &&
	    is_word(&tk->t[end - 1], "done"))
		return true; /* "how's it done?" */
	if (!is_word_at(tk, i, "how"))
		return false;
	i++;
	while (i < end && IN(&tk->t[i], how_fillers))
		i++;
	if (i == end)
		return true;
	if (is_word_at(tk, i, "to"))
		return WORD_IN(tk, i + 1, how_verbs);
	if (WORD_IN(tk, i, how_modals))
		return WORD_IN(tk, i + 1, how_subjects) &&
		       WORD_IN(tk, i + 2, how_verbs);
	if ((is_word_at(tk, i, "is") || is_word_at(tk, i, "are")) && end > i + 2 &&
	    is_word(&tk->t[end - 1], "done"))
		return true; /* "how is the clamshell done?" */
	return false;
}

/* What parse_slash_command found. */
enum slash {
	SLASH_NONE,      /* not a slash command */
	SLASH_FINAL,     /* out is the reading (maybe not understood) */
	SLASH_ADHERENCE, /* /done or /skip: the text after it is read too */
};

/*
 * A Telegram-style command: "/name", "/name@botname", then arguments.
 * Whatever follows a slash and a letter is a command: an unknown one
 * leaves out as not understood.  /done and /skip set out->kind and
 * *rest to the text after them, which may hold a score ("/done 2").
 */
static enum slash parse_slash_command(const char *s, size_t len,
				      struct tokens *tk, struct coach_reply *out,
				      size_t *rest)
{
	size_t i = 0, name_at, name_len;
	char name[16];

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			   s[i] == '\r'))
		i++;
	if (i + 1 >= len || s[i] != '/' || !ascii_alpha((unsigned char)s[i + 1]))
		return SLASH_NONE;
	name_at = ++i;
	while (i < len && (ascii_alpha((unsigned char)s[i])))
		i++;
	name_len = i - name_at;
	if (i < len && s[i] == '@') {
		size_t bot = ++i;
		while (i < len && (ascii_alpha((unsigned char)s[i]) ||
				   ascii_digit((unsigned char)s[i]) || s[i] == '_'))
			i++;
		if (i == bot)
			return SLASH_FINAL; /* "/start@" */
	}
	if (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
		return SLASH_FINAL; /* "/pause3", "/plan!" */
	if (name_len >= sizeof name)
		return SLASH_FINAL;
	for (size_t k = 0; k < name_len; k++)
		name[k] = ascii_lower(s[name_at + k]);
	name[name_len] = '\0';

	if (!strcmp(name, "done") || !strcmp(name, "skip")) {
		out->kind = name[0] == 'd' ? COACH_REPLY_DONE : COACH_REPLY_SKIPPED;
		*rest = i;
		return SLASH_ADHERENCE;
	}
	int c = find_command(name, name_len);
	if (c < 0)
		return SLASH_FINAL;
	if (commands[c].cmd == COACH_CMD_CLEARED) {
		tokenize(s + i, len - i, tk);
		if (!cleared_words_ok(tk, 0))
			return SLASH_FINAL; /* "/cleared not yet" */
	}
	if (commands[c].arg == ARG_FREE) {
		free_args(s + i, len - i, out);
	} else {
		tokenize(s + i, len - i, tk);
		if (!read_duration(tk, 0, commands[c].arg, out)) {
			out->n_args = 0;
			return SLASH_FINAL;
		}
	}
	out->kind = COACH_REPLY_COMMAND;
	out->command = commands[c].cmd;
	return SLASH_FINAL;
}

/* A command word standing alone ("help", "Pause 3 days", "plan?"). */
static bool parse_bare_command(const struct tokens *tk,
			       struct coach_reply *out)
{
	size_t i = 0;

	/* "please pause 3 days" */
	while (i < tk->n && (tk->t[i].kind == TK_SYM || IN(&tk->t[i], polite_words)))
		i++;
	if (i == tk->n || tk->t[i].kind != TK_WORD || tk->t[i].foreign)
		return false;
	int c = find_command(tk->t[i].w, tk->t[i].wlen);
	if (c < 0 || commands[c].cmd == COACH_CMD_CLEARED)
		return false; /* "cleared": see parse_cleared */
	if (commands[c].arg == ARG_FREE) {
		if (!only_polite(tk, i + 1)) /* "plan was too hard" */
			return false;
		out->n_args = 0;
	} else if (!read_duration(tk, i + 1, commands[c].arg, out)) {
		out->n_args = 0;
		return false;
	}
	out->kind = COACH_REPLY_COMMAND;
	out->command = commands[c].cmd;
	return true;
}

/* ------------------------------------------------------------ trimming */

static bool starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (len < pl)
		return false;
	for (size_t k = 0; k < pl; k++)
		if (ascii_lower(s[k]) != prefix[k])
			return false;
	return true;
}

/* Trims ASCII blanks from both ends of [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t' || **s == '\r')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			(*s)[*len - 1] == '\r'))
		(*len)--;
}

/* True when a line written with a Unicode dash in front is a signature
 * ("—Anna"): a few words, no digits, and only blanks after it (rest). */
static bool is_dash_signature(const char *line, size_t len, const char *rest,
			      size_t rest_len)
{
	static const char *const dashes[] = { "\xe2\x80\x94", "\xe2\x80\x93" };
	size_t skip = 0;

	for (size_t k = 0; k < N_OF(dashes); k++)
		if (len >= 3 && !memcmp(line, dashes[k], 3))
			skip = 3;
	if (!skip)
		return false;
	for (size_t k = 0; k < rest_len; k++)
		if (rest[k] != ' ' && rest[k] != '\t' && rest[k] != '\r' &&
		    rest[k] != '\n')
			return false;
	int words = 0;
	bool in_word = false;
	for (size_t k = skip; k < len; k++) {
		if (ascii_digit((unsigned char)line[k]))
			return false;
		bool sp = line[k] == ' ';
		if (!sp && !in_word)
			words++;
		in_word = !sp;
	}
	return words >= 1 && words <= 3;
}

/* True when s contains needle, ASCII case-insensitively. */
static bool contains_ci(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t k = 0; k + nl <= len; k++)
		if (starts_with_ci(s + k, len - k, needle))
			return true;
	return false;
}

/* A quote header: "On <date>, <name> wrote:" and its translations. */
static bool is_quote_header(const char *line, size_t ll)
{
	if (!ll || line[ll - 1] != ':')
		return false;
	for (size_t k = 0; k < N_OF(quote_header_verbs); k++)
		if (contains_ci(line, ll, quote_header_verbs[k]))
			return true;
	return false;
}

/* The line of text at offset *i (trimmed) in *line, *ll; *i moves past it.
 * Returns false at the end of text. */
static bool next_line(const char *text, size_t len, size_t *i,
		      const char **line, size_t *ll)
{
	if (*i >= len)
		return false;
	const char *nl = memchr(text + *i, '\n', len - *i);
	size_t end = nl ? (size_t)(nl - text) : len;
	*line = text + *i;
	*ll = end - *i;
	*i = nl ? end + 1 : len;
	trim(line, ll);
	return true;
}

/*
 * How many lines a quote header starting at offset i takes (1 or 2,
 * "On ...,\n... wrote:"), or 0 when there is none.  *quoted tells whether
 * the first non-blank line after it is quoted with '>' (the original
 * follows as quoted lines, and a bottom-posted reply may follow it).
 */
static int quote_header_at(const char *text, size_t len, size_t i,
			   bool *quoted)
{
	const char *l1, *l2, *l;
	size_t n1, n2, n;
	int lines = 0;

	if (!next_line(text, len, &i, &l1, &n1))
		return 0;
	if (is_quote_header(l1, n1)) {
		lines = 1;
	} else {
		bool start = false;
		for (size_t k = 0; k < N_OF(quote_header_starts); k++)
			start |= starts_with_ci(l1, n1, quote_header_starts[k]);
		if (start && next_line(text, len, &i, &l2, &n2) &&
		    is_quote_header(l2, n2))
			lines = 2;
	}
	if (!lines)
		return 0;
	*quoted = false;
	while (next_line(text, len, &i, &l, &n)) {
		if (n) {
			*quoted = l[0] == '>';
			break;
		}
	}
	return lines;
}

/*
 * Copies the reply part of text into buf: lines quoted with '>' and quote
 * headers above them ("On Mon, ... wrote:") are dropped, so a reply below
 * the quote is read too; the copy stops at a signature ("-- ", "Sent from
 * my ...") or at a quote header whose original is not quoted.  Returns
 * the length copied.
 */
static size_t strip_trailer(const char *text, size_t len, char *buf)
{
	size_t i = 0, out = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *line = text + i;
		size_t ll = end - i;
		size_t next = nl ? end + 1 : len;
		bool quoted;

		trim(&line, &ll);
		if (ll && line[0] == '>') {
			i = next;
			continue;
		}
		int header = quote_header_at(text, len, i, &quoted);
		if (header && quoted) {
			while (header--) {
				const char *l;
				size_t n;
				(void)next_line(text, len, &i, &l, &n);
			}
			continue;
		}
		bool cut = header != 0;
		for (size_t k = 0; k < N_OF(cut_line_prefixes); k++)
			if (starts_with_ci(line, ll, cut_line_prefixes[k]))
				cut = true;
		if (cut || is_dash_signature(line, ll, text + next, len - next))
			break;
		memcpy(buf + out, text + i, end - i);
		out += end - i;
		if (nl)
			buf[out++] = '\n';
		i = next;
	}
	return out;
}

/* --------------------------------------------------------------- parse */

struct parse_state {
	char folded[COACH_REPLY_MAX];
	char clean[COACH_REPLY_MAX + 1];
	struct tokens tk;
};

enum coach_reply_kind coach_reply_parse(const char *text, size_t len,
					struct coach_reply *out)
{
	struct parse_state st;
	struct numbers nb;
	int done, skip;
	bool negated;

	memset(out, 0, sizeof *out);
	out->kind = COACH_REPLY_UNKNOWN;
	if (!text || len == 0 || len > COACH_REPLY_MAX ||
	    !utf8_valid((const unsigned char *)text, len))
		return out->kind;

	size_t flen = fold_text(text, len, st.folded);
	size_t clen = strip_trailer(st.folded, flen, st.clean);
	st.clean[clen] = '\0';

	size_t from = 0;
	enum slash slash = parse_slash_command(st.clean, clen, &st.tk, out, &from);
	if (slash == SLASH_FINAL) {
		if (out->kind != COACH_REPLY_COMMAND)
			out->n_args = 0;
		return out->kind;
	}
	/* "/done 2" reads like "done, 2" */
	enum coach_reply_kind adherence = out->kind;
	out->kind = COACH_REPLY_UNKNOWN;
	tokenize(st.clean + from, clen - from, &st.tk);
	if (slash == SLASH_NONE && (parse_bare_command(&st.tk, out) ||
				    parse_cleared(&st.tk, out)))
		return out->kind;

	out->red_flag = find_red_flag(&st.tk);
	read_numbers(&st.tk, &nb);
	if (nb.bad || nb.ambiguous)
		return out->kind;
	/* "how do I do them": a command, unless it also gives a score or
	 * reports a red flag ("how do I do them? pain 3"). */
	if (slash == SLASH_NONE && nb.score10 < 0 && !out->red_flag &&
	    how_question(&st.tk)) {
		out->kind = COACH_REPLY_COMMAND;
		out->command = COACH_CMD_HOW;
		return out->kind;
	}
	if (nb.score10 < 0 && nb.quantity)
		return out->kind; /* "20 reps done": refuse, do not guess */
	read_adherence(&st.tk, &done, &skip, &negated);
	done += adherence == COACH_REPLY_DONE;
	skip += adherence == COACH_REPLY_SKIPPED;
	enum coach_reply_kind said = COACH_REPLY_UNKNOWN;
	if (!negated && !(done && skip))
		said = done ? COACH_REPLY_DONE :
		       skip ? COACH_REPLY_SKIPPED : COACH_REPLY_UNKNOWN;
	if (nb.score10 >= 0) {
		/* The score is the kind; done/skip rides along. */
		out->kind = COACH_REPLY_SCORE;
		out->has_score = true;
		out->score10 = nb.score10;
		out->range = nb.low10 >= 0;
		out->range_low10 = out->range ? nb.low10 : 0;
		out->also = said;
		return out->kind;
	}
	out->kind = said;
	return out->kind;
}

const char *coach_command_name(enum coach_command cmd)
{
	switch (cmd) {
	case COACH_CMD_NONE: return "";
	case COACH_CMD_START: return "start";
	case COACH_CMD_HELP: return "help";
	case COACH_CMD_PLAN: return "plan";
	case COACH_CMD_STATUS: return "status";
	case COACH_CMD_PAUSE: return "pause";
	case COACH_CMD_RESUME: return "resume";
	case COACH_CMD_SNOOZE: return "snooze";
	case COACH_CMD_CLEARED: return "cleared";
	case COACH_CMD_HOW: return "how";
	}
	return "";
}

const char *coach_reply_kind_name(enum coach_reply_kind kind)
{
	switch (kind) {
	case COACH_REPLY_UNKNOWN: return "unknown";
	case COACH_REPLY_SCORE: return "score";
	case COACH_REPLY_COMMAND: return "command";
	case COACH_REPLY_DONE: return "done";
	case COACH_REPLY_SKIPPED: return "skipped";
	}
	return "unknown";
}
