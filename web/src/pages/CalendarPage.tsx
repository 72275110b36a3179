// The calendar: the account's posts in its time zone, week and month, coloured by status. Dragging a
// post asks the workflow to reschedule it; if the workflow (or the API) refuses, the post snaps back
// and the reason is shown.
import { DateTime } from 'luxon';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Calendar, luxonLocalizer, Views, type View } from 'react-big-calendar';
import withDragAndDrop, { type EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import type { PageProps } from '../App';
import { api, type Post } from '../api';
import { fromWall, toWall } from '../time';

interface CalEvent {
  id: string;
  title: string;
  start: Date;
  end: Date;
  post: Post;
}

const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
const DnDCalendar = withDragAndDrop<CalEvent>(Calendar);
/** How long a post is drawn: long enough for its title to show in week view. */
const SLOT_MS = 60 * 60_000;
const narrow = () => matchMedia('(max-width: 640px)').matches;

const movable = (p: Post) => p.canChange && (p.status === 'scheduled' || p.status === 'draft');
const titleOf = (p: Post) => (p.topic ?? p.content ?? 'Post').slice(0, 60);

export function CalendarPage({ me, version, openPost, changed }: PageProps) {
  const zone = me.timeZone;
  const [posts, setPosts] = useState<Post[]>([]);
  const [view, setView] = useState<View>(() => (narrow() ? Views.DAY : Views.WEEK));
  const [date, setDate] = useState<Date>(() => toWall(new Date(), zone));
  /** Where a dragged post is shown while the workflow decides. */
  const [moving, setMoving] = useState<Record<string, Date>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();

  useEffect(() => {
    let live = true;
    api.posts({ status: 'draft,scheduled,publishing,published,failed,generating' }).then(
      (p) => live && setPosts(p),
      (e: Error) => live && setMessage({ kind: 'error', text: e.message }),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const events = useMemo<CalEvent[]>(
    () =>
      posts.map((p) => {
        const start = moving[p.id] ?? toWall(p.scheduledAt, zone);
        return { id: p.id, title: titleOf(p), start, end: new Date(start.getTime() + SLOT_MS), post: p };
      }),
    [posts, moving, zone],
  );

  const onDrop = useCallback(
    async ({ event, start }: EventInteractionArgs<CalEvent>) => {
      const to = new Date(start);
      const at = fromWall(to, zone);
      setMessage(undefined);
      setMoving((m) => ({ ...m, [event.id]: to }));
      try {
        await api.patch(event.id, { scheduledAt: at });
        setPosts((ps) => ps.map((p) => (p.id === event.id ? { ...p, scheduledAt: at } : p)));
        setMessage({ kind: 'ok', text: `Moved “${event.title}” to ${DateTime.fromISO(at, { zone }).toFormat('ccc d LLL, HH:mm')}.` });
        changed();
      } catch (e) {
        setMessage({ kind: 'error', text: `Not moved: ${(e as Error).message}` });
      } finally {
        // Either way the post is drawn where the server says it is.
        setMoving(({ [event.id]: _gone, ...rest }) => rest);
      }
    },
    [zone, changed],
  );

  return (
    <section className="calendar-page">
      <h1>
        Calendar <small className="muted">({zone})</small>
      </h1>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role="status" data-testid="calendar-message">
          {message.text}
        </p>
      )}
      <div className="calendar-box" data-testid="calendar">
        <DnDCalendar
          localizer={localizer}
          events={events}
          view={view}
          onView={setView}
          views={[Views.MONTH, Views.WEEK, Views.DAY, Views.AGENDA]}
          date={date}
          onNavigate={setDate}
          getNow={() => toWall(new Date(), zone)}
          scrollToTime={toWall(DateTime.now().setZone(zone).set({ hour: 8, minute: 0 }).toJSDate(), zone)}
          step={30}
          timeslots={2}
          draggableAccessor={(e) => movable(e.post)}
          resizable={false}
          onEventDrop={(args) => void onDrop(args)}
          onSelectEvent={(e) => openPost(e.id)}
          // Events take focus (Tab); Enter or Space opens one, whose time field reschedules it without a mouse.
          onKeyPressEvent={(e, ev) => {
            // The library types it as a plain SyntheticEvent; it is the event's keydown.
            const key = (ev.nativeEvent as KeyboardEvent).key;
            if (key === 'Enter' || key === ' ') {
              ev.preventDefault();
              openPost(e.id);
            }
          }}
          eventPropGetter={(e) => ({ className: `ev st-${e.post.status}${movable(e.post) ? '' : ' locked'}` })}
          components={{
            event: ({ event }) => (
              <span data-testid={`event-${event.id}`} data-status={event.post.status}>
                {event.title}
              </span>
            ),
          }}
          popup
        />
      </div>
      <p className="muted legend">
        Drag a scheduled post to move it, or open it to type a new time. Colours:{' '}
        {['draft', 'scheduled', 'publishing', 'published', 'failed'].map((s) => (
          <span key={s} className={`badge st-${s}`}>
            {s}
          </span>
        ))}
      </p>
    </section>
  );
}
